using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Etcd;

/// <summary>
/// An etcd member: data volume → download etcd (verified) → install etcd and etcdctl → its unit → start (restarted when
/// its unit or its CA changes) → health. A renewed member certificate restarts nothing: etcd reads its cert-file and
/// key-file again at every TLS handshake, on the client and the peer port, as a server and as a peer's client
/// (<c>EtcdCertificateReloadTests</c> shows it with this machine's etcd); it reads its trusted-ca-file once, at start.
/// </summary>
public sealed class EtcdComponent(AgentPaths paths, PkiFiles pki, StepFactory steps, EtcdHealthCheck health) : IComponent
{
    public string Name => ComponentNames.Etcd;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new EtcdLayout(config, paths, pki);
        var download = steps.Download(layout.Artifact, ".tar.gz");
        return
        [
            steps.DataVolume(layout.MountPath, layout.Etcd.DataVolumeTag),
            download,
            steps.InstallFromArchive("install-etcd", download, EtcdLayout.Programs),
            .. steps.Service(EtcdUnit.Build(layout), [layout.CaFile]),
        ];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
        health.CheckAsync(new EtcdLayout(config, paths, pki), cancellationToken);
}
