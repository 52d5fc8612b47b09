using Kubes.Agent.ConfigFiles;

namespace Kubes.Agent.Components.Kubelet;

/// <summary>
/// What Kubes tells every kubelet: client certificates from the Kubernetes CA and webhook authentication and
/// authorization on port 10250, nothing anonymous, no read-only port, its serving certificate from its own identity
/// (renewed by the agent, so the kubelet rotates nothing itself), strong TLS, the cluster's DNS, containerd's socket,
/// kernel defaults protected where Kubes prepared the host, no swap, seccomp by default, a limit on each pod's processes.
/// </summary>
public static class KubeletConfigFile
{
    /// <summary>How long a streaming connection (exec, attach, port-forward) may stay idle: kubelet's default, said aloud.</summary>
    public const string StreamingIdleTimeout = "4h0m0s";

    public const int PodPidsLimit = 4096;

    public static KubeletConfiguration Build(KubeletLayout layout) => new()
    {
        Address = layout.Address.ToString(),
        HealthzBindAddress = "127.0.0.1",
        TlsCertFile = layout.ServingCertificate,
        TlsPrivateKeyFile = layout.ServingKey,
        TlsMinVersion = StrongTls.MinVersion,
        TlsCipherSuites = StrongTls.CipherSuites,
        RotateCertificates = false,
        ServerTLSBootstrap = false,
        Authentication = new KubeletAuthentication(new KubeletX509(layout.ClientCaFile), new KubeletWebhookAuthentication(true, "2m0s"),
            new KubeletAnonymous(false)),
        Authorization = new KubeletAuthorization("Webhook", new KubeletWebhookAuthorization("5m0s", "30s")),
        ClusterDomain = layout.Kubelet.ClusterDomain,
        ClusterDNS = [layout.ClusterDns.ToString()],
        ContainerRuntimeEndpoint = layout.ContainerRuntimeEndpoint,
        CgroupDriver = layout.CgroupDriver,
        ResolvConf = layout.ResolvConf,
        StreamingConnectionIdleTimeout = StreamingIdleTimeout,
        EventRecordQPS = 50,
        PodPidsLimit = PodPidsLimit,
        // The host preparation sets the kernel values the kubelet protects; a local instance shares this machine's kernel,
        // which is not its to set.
        ProtectKernelDefaults = layout.IsHostRoot,
        MakeIPTablesUtilChains = true,
        FailSwapOn = true,
        SeccompDefault = true,
        RegisterNode = true,
        ProviderId = layout.Kubelet.ProviderId.Length > 0 ? layout.Kubelet.ProviderId : null,
    };

    public static string Render(KubeletLayout layout) => ConfigFile.ToYaml(Build(layout), KubeletJsonContext.Default.KubeletConfiguration);

    public static string RenderKubeconfig(KubeletLayout layout) => ConfigFile.ToYaml(
        Kubeconfig.ForClientCertificate(layout.Config.Cluster, layout.ApiEndpoint, layout.ClientCaFile, $"system:node:{layout.NodeName}",
            layout.ClientCertificate, layout.ClientKey),
        ConfigFileJsonContext.Default.Kubeconfig);
}
