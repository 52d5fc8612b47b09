using System.Net;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Flags;
using Kubes.Agent.Pki;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeProxy;

/// <summary>
/// Where a node's kube-proxy keeps its configuration and kubeconfig, and what it is told: its client certificate
/// (<c>system:kube-proxy</c>), the HA endpoint, the pod network, the mode. Refuses a configuration that lacks them.
/// </summary>
public sealed class KubeProxyLayout
{
    public const string ConfigFolder = "/var/lib/kube-proxy";

    public KubeProxyLayout(RoleConfig config, AgentPaths paths, PkiFiles pki)
    {
        Config = config;
        Proxy = config.KubeProxy ?? throw Invalid("has no kube_proxy section");
        if (!IPAddress.TryParse(config.PrivateIp, out var address)) throw Invalid($"has private_ip '{config.PrivateIp}', which is not an address");
        if (!Uri.TryCreate(Proxy.ApiEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
            throw Invalid($"has the API endpoint '{Proxy.ApiEndpoint}', which is not an https URL");
        if (Proxy.Mode is not ("iptables" or "nftables")) throw Invalid($"has the mode '{Proxy.Mode}', which is neither iptables nor nftables");
        if (config.Certificates.All(c => c.FileStem != CertificateFiles.KubeProxy)) throw Invalid($"asks for no '{CertificateFiles.KubeProxy}' certificate");
        Artifact = RequiredArtifact.Of(config, ArtifactNames.KubeProxy, ComponentNames.KubeProxy);

        Minor = KubernetesMinor.Of(config);
        Address = address;
        ApiEndpoint = endpoint;
        IsHostRoot = paths.IsHostRoot;
        Program = Path.Join(paths.BinDir, "kube-proxy");
        ConfigFile = paths.Under($"{ConfigFolder}/config.yaml");
        KubeconfigFile = paths.Under($"{ConfigFolder}/kubeconfig");
        CaFile = pki.CaPath(CertificateFiles.KubeProxy);
        CertificateFile = pki.CertificatePath(CertificateFiles.KubeProxy);
        KeyFile = pki.KeyPath(CertificateFiles.KubeProxy);
    }

    public RoleConfig Config { get; }
    public KubeProxyConfig Proxy { get; }
    public Artifact Artifact { get; }
    public KubernetesMinor Minor { get; }
    public IPAddress Address { get; }
    public Uri ApiEndpoint { get; }
    public bool IsHostRoot { get; }
    public string Program { get; }
    public string ConfigFile { get; }
    public string KubeconfigFile { get; }
    public string CaFile { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }

    public IReadOnlyList<string> FilesItReads => [ConfigFile, KubeconfigFile, CaFile, CertificateFile, KeyFile];

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the kube-proxy role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}
