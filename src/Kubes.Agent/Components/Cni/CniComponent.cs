using Kubes.Agent.Configuration;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Cni;

/// <summary>
/// The pod network's plugin programs on a node: the CNI plugins release downloaded, verified and unpacked into the
/// plugins' folder containerd is given. The network configuration is the CNI add-on's (its daemon set writes it once
/// it runs on the node): the health tells whether it is there yet, and is healthy once the plugins are installed.
/// </summary>
public sealed class CniComponent(AgentPaths paths, StepFactory steps) : IComponent
{
    public string Name => ComponentNames.Cni;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new CniLayout(config, paths);
        var download = steps.Download(layout.Artifact, ".tgz");
        return [download, steps.InstallFromArchive("install-cni-plugins", download, CniLayout.Plugins, layout.BinDir)];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken)
    {
        var layout = new CniLayout(config, paths);
        var missing = CniLayout.Plugins
            .Where(plugin => !File.Exists(Path.Join(layout.BinDir, plugin))
                             || (File.GetUnixFileMode(Path.Join(layout.BinDir, plugin)) & UnixFileMode.UserExecute) == 0)
            .ToList();
        var networks = Directory.Exists(layout.ConfDir)
            ? Directory.EnumerateFiles(layout.ConfDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];
        var network = networks.Count > 0
            ? $"network configuration {string.Join(", ", networks)}"
            : $"no network configuration yet (the {layout.Cni.Plugin} add-on writes it)";
        return Task.FromResult(new ComponentHealth
        {
            Component = Name,
            Healthy = missing.Count == 0,
            Detail = missing.Count == 0
                ? $"plugins {string.Join(", ", CniLayout.Plugins)} in {layout.BinDir}; {network}"
                : $"plugins missing from {layout.BinDir}: {string.Join(", ", missing)}",
        });
    }
}
