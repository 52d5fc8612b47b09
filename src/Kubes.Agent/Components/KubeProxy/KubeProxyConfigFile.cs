using Kubes.Agent.ConfigFiles;
using Kubes.Protos.Contract;

namespace Kubes.Agent.Components.KubeProxy;

/// <summary>
/// What Kubes tells every kube-proxy: its kubeconfig, the node's name and address, health on the node's address (load
/// balancers ask it), metrics on loopback only, the mode and the pod network of the spec. A local instance's kube-proxy
/// leaves the conntrack table's size alone: the kernel is this machine's, shared by every instance.
/// </summary>
public static class KubeProxyConfigFile
{
    public static KubeProxyConfiguration Build(KubeProxyLayout layout) => new()
    {
        ClientConnection = new KubeProxyClientConnection(layout.KubeconfigFile),
        HostnameOverride = layout.Config.Name,
        BindAddress = layout.Address.ToString(),
        HealthzBindAddress = $"{layout.Address}:{Ports.KubeProxyHealth}",
        MetricsBindAddress = "127.0.0.1:10249",
        Mode = layout.Proxy.Mode,
        ClusterCidr = layout.Proxy.ClusterCidr,
        Conntrack = layout.IsHostRoot ? null : new KubeProxyConntrack(0),
    };

    public static string Render(KubeProxyLayout layout) => ConfigFile.ToYaml(Build(layout), KubeProxyJsonContext.Default.KubeProxyConfiguration);

    public static string RenderKubeconfig(KubeProxyLayout layout) => ConfigFile.ToYaml(
        Kubeconfig.ForClientCertificate(layout.Config.Cluster, layout.ApiEndpoint, layout.CaFile, "system:kube-proxy",
            layout.CertificateFile, layout.KeyFile),
        ConfigFileJsonContext.Default.Kubeconfig);
}
