using Kubes.Agent.Artifacts;
using Kubes.Agent.Configuration;
using Kubes.Agent.Installers.Steps;
using Kubes.Agent.Pki;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Installers.Etcd;

/// <summary>
/// An etcd member: data volume → download etcd → verify → install → render its unit → start → health.
/// </summary>
public sealed class EtcdInstaller(
    AgentPaths paths,
    PkiFiles pki,
    ArtifactFetcher fetcher,
    IServiceManager services,
    CommandRunner commands,
    EtcdHealthProbe probe,
    DataVolumeTiming volumeTiming,
    ILogger<EtcdInstaller> log) : IRoleInstaller
{
    public Role Role => Role.Etcd;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new EtcdLayout(config, paths, pki);
        var unit = EtcdUnit.Build(layout);
        return
        [
            new DataVolumeStep(layout.MountPath, layout.Etcd.DataVolumeTag, paths, commands, volumeTiming, log),
            new DownloadArtifactStep(layout.Artifact, layout.ArchivePath, fetcher),
            new InstallBinariesStep("install-etcd", layout.ArchivePath, layout.Artifact.Sha256, layout.UnpackDir, layout.BinDir,
                ["etcd", "etcdctl"]),
            new InstallUnitStep(unit, services),
            new StartServiceStep(unit, services, [layout.CertificateFile, layout.KeyFile, layout.CaFile]),
        ];
    }

    public Task<Health> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
        probe.CheckAsync(new EtcdLayout(config, paths, pki), cancellationToken);
}
