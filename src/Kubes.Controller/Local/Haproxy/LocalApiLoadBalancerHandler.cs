using System.Runtime.Versioning;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Local.Haproxy;

/// <summary>
/// The <c>local-load-balancer</c> resource for the reconciler: the cluster's HAProxy, found by its marker (so one a
/// crashed run left is found too), planned as an update when it does not run or runs another configuration, which
/// restarts it; deleted before the instances and the network.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LocalApiLoadBalancerHandler(LocalApiLoadBalancer loadBalancer) : IResourceHandler
{
    public string Type => LocalClusterModel.LoadBalancerType;

    /// <summary>Before the instances (20) and the network (30), whose address it listens on.</summary>
    public int DeleteOrder => 10;

    public Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken cancellationToken)
    {
        var state = loadBalancer.Read();
        IReadOnlyList<ActualResource> found = state.IsRunning || state.Configuration is not null
            ? [new ActualResource(LocalClusterModel.LoadBalancer, loadBalancer.TreeId, state)]
            : [];
        return Task.FromResult(found);
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = ((LocalApiLoadBalancerResource)desired).Configuration.Render();
        var have = (LocalApiLoadBalancerState)actual.Native;
        var changes = new List<FieldChange>();
        if (have.Configuration != want) changes.Add(new("configuration", have.Configuration is null ? null : "changed", "rendered"));
        if (!have.IsRunning) changes.Add(new("state", "stopped", "running"));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken cancellationToken)
    {
        await loadBalancer.StartAsync(((LocalApiLoadBalancerResource)desired).Configuration, cancellationToken);
        return new ActualResource(desired.Key, loadBalancer.TreeId, loadBalancer.Read());
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken cancellationToken) =>
        loadBalancer.StartAsync(((LocalApiLoadBalancerResource)desired).Configuration, cancellationToken);

    public Task DeleteAsync(ActualResource actual, CancellationToken cancellationToken) => loadBalancer.RemoveAsync(cancellationToken);
}
