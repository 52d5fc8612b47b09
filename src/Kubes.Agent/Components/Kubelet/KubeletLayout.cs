using System.Net;
using Kubes.Agent.Components.Containerd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Flags;
using Kubes.Agent.Pki;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Kubelet;

/// <summary>
/// Where a node's kubelet keeps its pieces (under the agent's root) and what it is told: its certificates (a client one to
/// reach the API as <c>system:node:&lt;name&gt;</c>, a serving one for port 10250), containerd's socket, the HA endpoint.
/// Refuses a configuration without a kubelet section, its artifact, its certificates or an address.
/// </summary>
public sealed class KubeletLayout
{
    /// <param name="cgroupDriver">By default <see cref="Components.CgroupDriver.For"/> this host.</param>
    /// <param name="resolvConf">The resolver configuration pods get; by default systemd-resolved's upstream list where the
    /// agent owns a host that runs it (its stub, 127.0.0.53, is unreachable from pods), else /etc/resolv.conf.</param>
    public KubeletLayout(RoleConfig config, AgentPaths paths, PkiFiles pki, string? cgroupDriver = null, string? resolvConf = null)
    {
        Config = config;
        Kubelet = config.Kubelet ?? throw Invalid("has no kubelet section");
        if (!IPAddress.TryParse(config.PrivateIp, out var address)) throw Invalid($"has private_ip '{config.PrivateIp}', which is not an address");
        if (!Uri.TryCreate(Kubelet.ApiEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
            throw Invalid($"has the API endpoint '{Kubelet.ApiEndpoint}', which is not an https URL");
        if (!IPAddress.TryParse(Kubelet.ClusterDns, out var dns)) throw Invalid($"has the cluster DNS '{Kubelet.ClusterDns}', which is not an address");
        foreach (var stem in new[] { CertificateFiles.KubeletClient, CertificateFiles.KubeletServing }
                     .Where(stem => config.Certificates.All(c => c.FileStem != stem)))
            throw Invalid($"asks for no '{stem}' certificate");
        Artifact = RequiredArtifact.Of(config, ArtifactNames.Kubelet, ComponentNames.Kubelet);

        Minor = KubernetesMinor.Of(config);
        Address = address;
        ClusterDns = dns;
        ApiEndpoint = endpoint;
        IsHostRoot = paths.IsHostRoot;
        CgroupDriver = cgroupDriver ?? Components.CgroupDriver.For(paths);
        Program = Path.Join(paths.BinDir, "kubelet");
        RootDir = paths.Under("/var/lib/kubelet");
        ConfigFile = paths.Under("/var/lib/kubelet/config.yaml");
        KubeconfigFile = paths.Under("/etc/kubernetes/kubelet.conf");
        ContainerRuntimeEndpoint = ContainerdLayout.EndpointOf(ContainerdLayout.SocketOf(paths));
        ClientCaFile = pki.CaPath(CertificateFiles.KubeletClient);
        ClientCertificate = pki.CertificatePath(CertificateFiles.KubeletClient);
        ClientKey = pki.KeyPath(CertificateFiles.KubeletClient);
        ServingCertificate = pki.CertificatePath(CertificateFiles.KubeletServing);
        ServingKey = pki.KeyPath(CertificateFiles.KubeletServing);
        ResolvConf = resolvConf ?? (IsHostRoot && File.Exists(SystemdResolvedUpstreams) ? SystemdResolvedUpstreams : "/etc/resolv.conf");
    }

    public const string SystemdResolvedUpstreams = "/run/systemd/resolve/resolv.conf";

    public RoleConfig Config { get; }
    public KubeletConfig Kubelet { get; }
    public Artifact Artifact { get; }
    public KubernetesMinor Minor { get; }
    public IPAddress Address { get; }
    public IPAddress ClusterDns { get; }
    public Uri ApiEndpoint { get; }
    public bool IsHostRoot { get; }
    public string CgroupDriver { get; }
    public string Program { get; }
    public string RootDir { get; }
    public string ConfigFile { get; }
    public string KubeconfigFile { get; }
    public string ContainerRuntimeEndpoint { get; }
    /// <summary>The Kubernetes CA, which signs the apiserver's kubelet-client certificate: the only client CA of port 10250.</summary>
    public string ClientCaFile { get; }
    public string ClientCertificate { get; }
    public string ClientKey { get; }
    public string ServingCertificate { get; }
    public string ServingKey { get; }
    public string ResolvConf { get; }

    /// <summary>The Node's name: the slot's on fixed slots, the verified instance id in an Auto Scaling group.</summary>
    public string NodeName => Config.Name;

    public IReadOnlyList<string> FilesItReads =>
        [ConfigFile, KubeconfigFile, ClientCaFile, ClientCertificate, ClientKey, ServingCertificate, ServingKey];

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the kubelet role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}
