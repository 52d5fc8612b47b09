using Kubes.Controller.Status;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// Follows the agents' reports until the cluster settles: every etcd slot Ready, every other slot Ready or
/// reporting that its role cannot be installed yet. Prints each slot's phase or step change as it happens.
/// </summary>
public sealed class AgentWaiter(ClusterTopology topology, Func<CancellationToken, Task<IReadOnlyList<Protos.V1.AgentStatus>>> read,
    TextWriter output, TimeSpan pollInterval)
{
    public async Task<IReadOnlyList<SlotStatus>> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var seen = new Dictionary<string, string>();
        while (true)
        {
            var rows = SlotStatus.For(topology, await read(cancellationToken));
            foreach (var row in rows)
            {
                var line = $"{row.Phase}{(row.Step is null ? "" : $" ({row.Step})")}{(row.Error is null ? "" : $": {row.Error}")}";
                if (seen.GetValueOrDefault(row.Slot) != line)
                {
                    seen[row.Slot] = line;
                    await output.WriteLineAsync($"  {row.Slot,-14} {line}");
                }
            }
            if (IsSettled(rows) || DateTimeOffset.UtcNow >= deadline) return rows;
            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    public static bool IsSettled(IReadOnlyList<SlotStatus> rows) =>
        rows.All(r => r.IsReady || (r.Role != InstanceRole.Etcd.TagValue() && r.IsRoleNotInstallable));
}
