using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Flags;
using Kubes.Agent.Pki;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeScheduler;

/// <summary>
/// Where a controller's kube-scheduler keeps its configuration and kubeconfig, and what it is told: its client certificate
/// (<c>system:kube-scheduler</c>) and this controller's apiserver. Refuses a configuration that lacks them.
/// </summary>
public sealed class KubeSchedulerLayout
{
    public const string ConfigFolder = "/etc/kubernetes/scheduler";

    public KubeSchedulerLayout(RoleConfig config, AgentPaths paths, PkiFiles pki)
    {
        Config = config;
        Scheduler = config.KubeScheduler ?? throw Invalid("has no kube_scheduler section");
        if (config.Certificates.All(c => c.FileStem != CertificateFiles.Scheduler))
            throw Invalid($"asks for no '{CertificateFiles.Scheduler}' certificate");
        Artifact = RequiredArtifact.Of(config, ArtifactNames.KubeScheduler, ComponentNames.KubeScheduler);

        Minor = KubernetesMinor.Of(config);
        ApiServer = LocalApiServer.Of(config, ComponentNames.KubeScheduler);
        Program = Path.Join(paths.BinDir, "kube-scheduler");
        ConfigFile = paths.Under($"{ConfigFolder}/config.yaml");
        KubeconfigFile = paths.Under($"{ConfigFolder}/kubeconfig");
        CaFile = pki.CaPath(CertificateFiles.Scheduler);
        CertificateFile = pki.CertificatePath(CertificateFiles.Scheduler);
        KeyFile = pki.KeyPath(CertificateFiles.Scheduler);
    }

    public RoleConfig Config { get; }
    public KubeSchedulerConfig Scheduler { get; }
    public Artifact Artifact { get; }
    public KubernetesMinor Minor { get; }
    public Uri ApiServer { get; }
    public string Program { get; }
    public string ConfigFile { get; }
    public string KubeconfigFile { get; }
    public string CaFile { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }

    public int Port => Ports.KubeScheduler;

    public IReadOnlyList<string> FilesItReads => [ConfigFile, KubeconfigFile, CaFile, CertificateFile, KeyFile];

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the kube-scheduler role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}
