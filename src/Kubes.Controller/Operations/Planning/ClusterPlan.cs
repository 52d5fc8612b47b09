using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Operations.Planning;

/// <summary><c>kubes plan</c>: what <c>up</c> would create, change and delete — the very handlers it applies with, asked only
/// to find and compare.</summary>
public static class ClusterPlan
{
    /// <summary>As if nothing existed yet, with no call made anywhere.</summary>
    public static Plan Offline(ClusterTopology topology) =>
        Planner.Offline(ClusterProviders.For(topology.Spec.Provider).OfflineResources(topology));

    /// <summary>Against what exists.</summary>
    public static async Task<Plan> LiveAsync(IClusterSession session, CancellationToken cancellationToken) =>
        (await session.Reconciler(launches: null).PlanAsync(session.DesiredResources(), cancellationToken)).Plan;
}
