using Kubes.Agent.Configuration;
using Kubes.Agent.Services;

namespace Kubes.Agent.Components;

/// <summary>
/// Who manages the cgroups of a node's containers, one answer for containerd and the kubelet (they must agree): systemd
/// where it runs the host, so there is a single writer of the cgroup tree; cgroupfs where the agent supervises its
/// services itself (the local provider), as there is no systemd to ask.
/// </summary>
public static class CgroupDriver
{
    public const string Systemd = "systemd";
    public const string Cgroupfs = "cgroupfs";

    public static string For(AgentPaths paths) => ServiceHost.UsesSystemd(paths) ? Systemd : Cgroupfs;
}
