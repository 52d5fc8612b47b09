using Kubes.Agent.Flags;
using Kubes.Agent.Services;

namespace Kubes.Agent.Components.Kubelet;

/// <summary>The kubelet's unit: after containerd, with its own cgroup subtree (it makes the pods' cgroups).</summary>
public static class KubeletUnit
{
    public const string Name = "kubelet";

    public static SystemdUnit Build(KubeletLayout layout) => new()
    {
        Name = Name,
        Description = $"kubelet of node {layout.NodeName} (kubes)",
        Restart = "always",
        RestartSec = TimeSpan.FromSeconds(5),
        Delegate = true,
        After = ["network-online.target", "containerd.service"],
        Wants = ["network-online.target", "containerd.service"],
        ExecStart = [layout.Program, .. FlagRenderer.Render(KubeletFlags.For(layout).ToFlagSet(), layout.Minor, layout.Kubelet.ExtraArgs)],
    };
}
