using Kubes.Agent.Services;

namespace Kubes.Agent.Components.Containerd;

/// <summary>
/// containerd's unit: its config file, the programs of the bin folder first on its PATH (its runc shim finds them
/// there), its own cgroup subtree, and only its main process stopped on a restart: the shims, and the pods' containers
/// under them, outlive it.
/// </summary>
public static class ContainerdUnit
{
    public const string Name = "containerd";

    public static SystemdUnit Build(ContainerdLayout layout) => new()
    {
        Name = Name,
        Description = $"containerd, the container runtime of node {layout.Config.Name} (kubes)",
        Type = "notify",
        Restart = "always",
        RestartSec = TimeSpan.FromSeconds(5),
        Delegate = true,
        KillMode = "process",
        LimitNoFile = 1048576,
        Environment = [new("PATH", $"{layout.BinDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
        ExecStart = [layout.Program, "--config", layout.ConfigFile],
    };
}
