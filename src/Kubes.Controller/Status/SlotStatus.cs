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
    public bool IsReady => Phase == PhaseName(Protos.V1.Phase.Ready);

    /// <summary>Joined and certified, but no installer for its role exists yet: settled, and never Ready.</summary>
    public bool IsRoleNotInstallable => Phase == PhaseName(Protos.V1.Phase.RoleNotInstallable);

    public static string PhaseName(Phase phase) => phase switch
    {
        Protos.V1.Phase.Unspecified => "Pending",
        Protos.V1.Phase.RoleNotInstallable => "RoleNotInstallable",
        _ => phase.ToString(),
    };

    /// <summary>Every slot of the topology, joined with the latest report of the agent that holds it.</summary>
    public static IReadOnlyList<SlotStatus> For(ClusterTopology topology, IEnumerable<AgentStatus> agents)
    {
        var latest = agents
            .GroupBy(a => a.Name)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.LastReport?.At?.ToDateTimeOffset()).First());
        return [.. topology.Slots.Select(slot =>
        {
            if (!latest.TryGetValue(slot.Name, out var agent))
                return new SlotStatus(slot.Name, slot.Role.TagValue(), null, slot.Zone.Zone, slot.PrivateIp?.ToString(),
                    "Pending", null, "-", null, null);
            var report = agent.LastReport;
            var health = report?.Health is { } h && h.CheckedAt is not null ? (h.Healthy ? "healthy" : $"unhealthy: {h.Detail}") : "-";
            return new SlotStatus(slot.Name, slot.Role.TagValue(), agent.InstanceId, agent.AvailabilityZone,
                string.IsNullOrEmpty(agent.PrivateIp) ? slot.PrivateIp?.ToString() : agent.PrivateIp,
                PhaseName(report?.Phase ?? Protos.V1.Phase.Pending), NullIfEmpty(report?.Step), health,
                report?.At?.ToDateTimeOffset(), NullIfEmpty(report?.Error));
        })];
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
