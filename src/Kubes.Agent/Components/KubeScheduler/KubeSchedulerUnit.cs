using Kubes.Agent.Components.KubeApiServer;
using Kubes.Agent.Flags;
using Kubes.Agent.Services;

namespace Kubes.Agent.Components.KubeScheduler;

/// <summary>kube-scheduler's unit: after this controller's apiserver, its flags with the spec's overrides merged over them.</summary>
public static class KubeSchedulerUnit
{
    public const string Name = "kube-scheduler";

    public static SystemdUnit Build(KubeSchedulerLayout layout) => new()
    {
        Name = Name,
        Description = $"kube-scheduler of controller {layout.Config.Name}, cluster {layout.Config.Cluster} (kubes)",
        Restart = "always",
        RestartSec = TimeSpan.FromSeconds(5),
        After = ["network-online.target", $"{KubeApiServerUnit.Name}.service"],
        Wants = ["network-online.target"],
        ExecStart = [layout.Program, .. FlagRenderer.Render(KubeSchedulerFlags.For(layout).ToFlagSet(), layout.Minor, layout.Scheduler.ExtraArgs)],
    };
}
