using Kubes.Controller.Status;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Operations.Up;

/// <summary>
/// Follows the agents' reports until the cluster settles: every etcd slot Ready, every other slot Ready, reporting that
/// its role cannot be installed yet, or failed for want of a file the operator must provide (<paramref name="unprovided"/>).
/// Shows every poll on its view as it happens.
/// </summary>
public sealed class AgentWaiter(ClusterTopology topology, Func<CancellationToken, Task<IReadOnlyList<Protos.V1.AgentStatus>>> read,
    IAgentStatusView view, TimeSpan pollInterval, UnprovidedArtifacts unprovided)
{
    public async Task<IReadOnlyList<SlotStatus>> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var rows = SlotStatus.For(topology, await read(cancellationToken));
            await view.ShowAsync(rows, DateTimeOffset.UtcNow);
            if (IsSettled(rows, unprovided) || DateTimeOffset.UtcNow >= deadline) return rows;
            await Task.Delay(pollInterval, cancellationToken);
        }
    }

    public static bool IsSettled(IReadOnlyList<SlotStatus> rows, UnprovidedArtifacts unprovided) =>
        rows.All(r => r.IsReady || (r.Role != InstanceRole.Etcd.TagValue() && r.IsRoleNotInstallable) || unprovided.Holds(r));
}
