using Kubes.Agent.Components.KubeApiServer;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Flags;
using Kubes.Agent.Pki;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeControllerManager;

/// <summary>
/// Where a controller's kube-controller-manager keeps its kubeconfig and what it is told: its client certificate
/// (<c>system:kube-controller-manager</c>), this controller's apiserver, the pod and Service networks, this controller's
/// service-account key (for the legacy token controller) and the Kubernetes CA it publishes to namespaces. It gets no CA
/// key: the built-in CSR signers are not served. Refuses a configuration that lacks what it needs.
/// </summary>
public sealed class KubeControllerManagerLayout
{
    public KubeControllerManagerLayout(RoleConfig config, AgentPaths paths, PkiFiles pki)
    {
        Config = config;
        ControllerManager = config.KubeControllerManager ?? throw Invalid("has no kube_controller_manager section");
        if (string.IsNullOrEmpty(ControllerManager.ClusterCidr)) throw Invalid("names no pod network");
        if (string.IsNullOrEmpty(ControllerManager.ServiceClusterIpRange)) throw Invalid("names no service network");
        if (config.Certificates.All(c => c.FileStem != CertificateFiles.ControllerManager))
            throw Invalid($"asks for no '{CertificateFiles.ControllerManager}' certificate");
        Artifact = RequiredArtifact.Of(config, ArtifactNames.KubeControllerManager, ComponentNames.KubeControllerManager);

        Minor = KubernetesMinor.Of(config);
        ApiServer = LocalApiServer.Of(config, ComponentNames.KubeControllerManager);
        Program = Path.Join(paths.BinDir, "kube-controller-manager");
        KubeconfigFile = paths.Under("/etc/kubernetes/controller-manager.conf");
        CaFile = pki.CaPath(CertificateFiles.ControllerManager);
        CertificateFile = pki.CertificatePath(CertificateFiles.ControllerManager);
        KeyFile = pki.KeyPath(CertificateFiles.ControllerManager);
        ServiceAccountKeyFile = new ServiceAccountKeyFiles(pki).PrivateKeyFile;
    }

    public RoleConfig Config { get; }
    public KubeControllerManagerConfig ControllerManager { get; }
    public Artifact Artifact { get; }
    public KubernetesMinor Minor { get; }
    public Uri ApiServer { get; }
    public string Program { get; }
    public string KubeconfigFile { get; }
    /// <summary>The Kubernetes CA: verifies the apiserver, and is what <c>--root-ca-file</c> publishes to every namespace.</summary>
    public string CaFile { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }
    /// <summary>This controller's service-account key, which its kube-apiserver component made.</summary>
    public string ServiceAccountKeyFile { get; }

    public int Port => Ports.KubeControllerManager;

    public IReadOnlyList<string> FilesItReads => [KubeconfigFile, CaFile, CertificateFile, KeyFile, ServiceAccountKeyFile];

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the kube-controller-manager role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}
