using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Containerd;

/// <summary>
/// A node's container runtime: the host's kernel prepared → containerd, runc (and crictl where offered) downloaded,
/// verified and installed → containerd's config → its unit → started (restarted when its config changes) → healthy
/// when it answers CRI on its socket.
/// </summary>
public sealed class ContainerdComponent(AgentPaths paths, StepFactory steps, ContainerdHealthCheck health) : IComponent
{
    public string Name => ComponentNames.Containerd;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new ContainerdLayout(config, paths);
        var containerd = steps.Download(layout.Artifact, ".tar.gz");
        var runc = steps.Download(layout.Runc);
        var configFile = steps.RenderFile("render-containerd-config", layout.ConfigFile, ContainerdConfigFile.Render(layout),
            AtomicFile.Readable);
        return
        [
            steps.HostKernel(NodeKernel.Settings),
            containerd,
            steps.InstallFromArchive("install-containerd", containerd, ContainerdLayout.Programs),
            runc,
            steps.InstallProgram(runc, "runc"),
            .. Crictl(layout),
            configFile,
            .. steps.Service(ContainerdUnit.Build(layout), [layout.ConfigFile]),
        ];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
        health.CheckAsync(new ContainerdLayout(config, paths), cancellationToken);

    /// <summary>crictl and its configuration, which points it at this containerd: only where the coordinator offers it.</summary>
    private IEnumerable<IInstallStep> Crictl(ContainerdLayout layout)
    {
        if (layout.Crictl is null) yield break;
        var download = steps.Download(layout.Crictl, ".tar.gz");
        yield return download;
        yield return steps.InstallFromArchive("install-crictl", download, ["crictl"]);
        yield return steps.RenderFile("render-crictl-config", paths.Under("/etc/crictl.yaml"),
            $"runtime-endpoint: {layout.Endpoint}\nimage-endpoint: {layout.Endpoint}\n", AtomicFile.Readable);
    }
}
