using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Status;

/// <summary>One row of <c>kubes status</c>: a slot and what its current agent last said.</summary>
public sealed record SlotStatus(
    string Slot,
    string Role,
    string? InstanceId,
    string Zone,
    string? PrivateIp,
    string Phase,
    string? Step,
    string Health,
    DateTimeOffset? LastReport,
    string? Error)
{
    /// <summary>
    /// For a node: what the Kubernetes API says of its Node ("Ready", "NotReady: why", "not registered"); null for other
    /// roles, or when the API was not read.
    /// </summary>
    public string? Node { get; init; }

    public bool IsReady => Phase == PhaseName(Protos.V1.Phase.Ready);

    /// <summary>Joined and certified, but no installer for its role exists yet: settled, and never Ready.</summary>
    public bool IsRoleNotInstallable => Phase == PhaseName(Protos.V1.Phase.RoleNotInstallable);

    public bool IsFailed => Phase == PhaseName(Protos.V1.Phase.Failed);

    public static string PhaseName(Phase phase) => phase switch
    {
        Protos.V1.Phase.Unspecified => "Pending",
        Protos.V1.Phase.RoleNotInstallable => "RoleNotInstallable",
        _ => phase.ToString(),
    };

    /// <summary>
    /// Every slot of the topology, joined with the latest report of the agent that holds it; then, for an Auto Scaling
    /// group, one row per node that joined (named by its instance id) and a Pending row for each one still missing.
    /// </summary>
    public static IReadOnlyList<SlotStatus> For(ClusterTopology topology, IEnumerable<AgentStatus> agents)
    {
        var latest = agents
            .GroupBy(a => a.Name)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.LastReport?.At?.ToDateTimeOffset()).First());
        var rows = topology.Slots.Select(slot => latest.TryGetValue(slot.Name, out var agent)
            ? Of(slot.Name, slot.Role, agent, slot.PrivateIp?.ToString())
            : new SlotStatus(slot.Name, slot.Role.TagValue(), null, slot.Zone.Zone, slot.PrivateIp?.ToString(),
                "Pending", null, "-", null, null)).ToList();
        if (topology.NodeGroup is { } group)
        {
            var slotNames = topology.Slots.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
            var joined = latest.Values.Where(a => a.Role == Protos.V1.Role.Node && !slotNames.Contains(a.Name))
                .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            rows.AddRange(joined.Select(agent => Of(agent.Name, InstanceRole.Node, agent, null)));
            rows.AddRange(Enumerable.Range(joined.Count, Math.Max(0, group.Desired - joined.Count)).Select(i =>
                new SlotStatus($"node-group#{i}", InstanceRole.Node.TagValue(), null, "-", null, "Pending", null, "-", null, null)));
        }
        return rows;
    }

    private static SlotStatus Of(string name, InstanceRole role, AgentStatus agent, string? fixedIp)
    {
        var report = agent.LastReport;
        var health = report?.Health is { } h && h.CheckedAt is not null ? (h.Healthy ? "healthy" : $"unhealthy: {h.Detail}") : "-";
        return new SlotStatus(name, role.TagValue(), agent.InstanceId, agent.AvailabilityZone,
            string.IsNullOrEmpty(agent.PrivateIp) ? fixedIp : agent.PrivateIp,
            PhaseName(report?.Phase ?? Protos.V1.Phase.Pending), NullIfEmpty(report?.Step), health,
            report?.At?.ToDateTimeOffset(), NullIfEmpty(report?.Error));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
