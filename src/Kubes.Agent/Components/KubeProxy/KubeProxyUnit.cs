using Kubes.Agent.Flags;
using Kubes.Agent.Services;

namespace Kubes.Agent.Components.KubeProxy;

/// <summary>kube-proxy's unit.</summary>
public static class KubeProxyUnit
{
    public const string Name = "kube-proxy";

    public static SystemdUnit Build(KubeProxyLayout layout) => new()
    {
        Name = Name,
        Description = $"kube-proxy of node {layout.Config.Name} (kubes)",
        Restart = "always",
        RestartSec = TimeSpan.FromSeconds(5),
        ExecStart = [layout.Program, .. FlagRenderer.Render(KubeProxyFlags.For(layout).ToFlagSet(), layout.Minor, layout.Proxy.ExtraArgs)],
    };
}
