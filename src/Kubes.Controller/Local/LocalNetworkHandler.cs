using System.Runtime.Versioning;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Local;

/// <summary>
/// The <c>local-network</c> resource for the reconciler: the cluster's bridge, found by the name its cluster gives it
/// (or by a namespace of the cluster a crashed run left without it), completed when an address is missing or it is
/// down, and deleted after every instance, with every namespace of the cluster that is still there.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LocalNetworkHandler(NamespaceNetwork network) : IResourceHandler
{
    public string Type => LocalClusterModel.NetworkType;

    /// <summary>After the instances (20), which live in it.</summary>
    public int DeleteOrder => 30;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken cancellationToken)
    {
        var state = await network.ReadAsync(cancellationToken);
        return state.Exists ? [new ActualResource(LocalClusterModel.Network, network.Bridge, state)] : [];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (LocalNetworkResource)desired;
        var have = (NetworkState)actual.Native;
        var changes = new List<FieldChange>();
        if (!have.BridgeExists)
        {
            changes.Add(new("bridge", null, want.Bridge));
            return changes;
        }
        var wanted = want.Endpoints.BridgeAddresses;
        if (!wanted.All(have.BridgeAddresses.Contains))
            changes.Add(new("addresses", string.Join(", ", have.BridgeAddresses), string.Join(", ", wanted)));
        if (!have.IsUp) changes.Add(new("state", "down", "up"));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken cancellationToken)
    {
        await network.EnsureAsync(cancellationToken);
        return new ActualResource(desired.Key, network.Bridge, await network.ReadAsync(cancellationToken));
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken cancellationToken) => network.EnsureAsync(cancellationToken);

    public Task DeleteAsync(ActualResource actual, CancellationToken cancellationToken) => network.DeleteAsync(cancellationToken);
}
