using Kubes.Agent.Components.KubeApiServer;
using Kubes.Agent.Flags;
using Kubes.Agent.Services;

namespace Kubes.Agent.Components.KubeControllerManager;

/// <summary>kube-controller-manager's unit: after this controller's apiserver, its flags with the spec's overrides merged over them.</summary>
public static class KubeControllerManagerUnit
{
    public const string Name = "kube-controller-manager";

    public static SystemdUnit Build(KubeControllerManagerLayout layout) => new()
    {
        Name = Name,
        Description = $"kube-controller-manager of controller {layout.Config.Name}, cluster {layout.Config.Cluster} (kubes)",
        Restart = "always",
        RestartSec = TimeSpan.FromSeconds(5),
        After = ["network-online.target", $"{KubeApiServerUnit.Name}.service"],
        Wants = ["network-online.target"],
        ExecStart = [layout.Program, .. FlagRenderer.Render(KubeControllerManagerFlags.For(layout).ToFlagSet(), layout.Minor, layout.ControllerManager.ExtraArgs)],
    };
}
