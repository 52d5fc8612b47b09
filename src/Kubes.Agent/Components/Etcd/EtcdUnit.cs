using Kubes.Agent.Flags;
using Kubes.Agent.Services;

namespace Kubes.Agent.Components.Etcd;

/// <summary>etcd's unit: its flags, with the spec's overrides merged over them, as one systemd service.</summary>
public static class EtcdUnit
{
    public static SystemdUnit Build(EtcdLayout layout)
    {
        var config = layout.Config;
        // etcd is versioned apart from Kubernetes: none of its flags is gated by a Kubernetes minor.
        var flags = FlagRenderer.Render(EtcdFlags.For(layout).ToFlagSet(), version: null, layout.Etcd.ExtraArgs);
        return new SystemdUnit
        {
            Name = "etcd",
            Description = $"etcd member {config.Name} of cluster {config.Cluster} (kubes)",
            Type = "notify",
            Restart = "always",
            RestartSec = TimeSpan.FromSeconds(5),
            LimitNoFile = 40000,
            ExecStart = [layout.Program, .. flags],
        };
    }
}
