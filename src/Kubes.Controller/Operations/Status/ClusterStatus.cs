using Kubes.Controller.Providers;
using Kubes.Controller.Status;

namespace Kubes.Controller.Operations.Status;

/// <summary><c>kubes status</c>: every slot with what its agent last reported, read from the state store.</summary>
public static class ClusterStatus
{
    public static async Task<IReadOnlyList<SlotStatus>> ReadAsync(IClusterSession session, CancellationToken cancellationToken) =>
        SlotStatus.For(session.Topology, await new AgentStatusStore(session.Store).ListAsync(cancellationToken));
}
