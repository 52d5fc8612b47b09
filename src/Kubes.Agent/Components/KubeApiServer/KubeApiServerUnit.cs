using Kubes.Agent.Flags;
using Kubes.Agent.Services;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>kube-apiserver's unit: its flags, with the spec's overrides merged over them, for the slot's Kubernetes minor.</summary>
public static class KubeApiServerUnit
{
    public const string Name = "kube-apiserver";

    public static SystemdUnit Build(KubeApiServerLayout layout) => new()
    {
        Name = Name,
        Description = $"kube-apiserver of controller {layout.Config.Name}, cluster {layout.Config.Cluster} (kubes)",
        Restart = "always",
        RestartSec = TimeSpan.FromSeconds(5),
        LimitNoFile = 65536,
        ExecStart = [layout.Program, .. FlagRenderer.Render(KubeApiServerFlags.For(layout).ToFlagSet(), layout.Minor, layout.ApiServer.ExtraArgs)],
    };
}
