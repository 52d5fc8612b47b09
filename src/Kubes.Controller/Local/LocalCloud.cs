using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Local.Haproxy;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Local;

/// <summary>
/// This machine as a cloud, for one cluster: its VPC as a bridge with a network namespace per instance
/// (<see cref="NamespaceNetwork"/>), where the cluster's own services are reached (<see cref="LocalEndpoints"/>), where its
/// instances' root folders live (<c>&lt;state&gt;/instances/&lt;slot&gt;</c>), the registry and directory over them, and
/// the reconciler's handlers for them.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalCloud
{
    public LocalCloud(ClusterTopology topology, string stateFolder, TimeProvider? time = null)
    {
        Cluster = topology.Spec.Name;
        StateFolder = Path.GetFullPath(stateFolder);
        Endpoints = LocalEndpoints.Of(topology);
        Network = new NamespaceNetwork(Cluster, StateFolder, topology.VpcCidr, Endpoints.BridgeAddresses);
        ApiLoadBalancer = new LocalApiLoadBalancer(Network.Bridge, StateFolder);
        Time = time ?? TimeProvider.System;
        Registry = new LocalInstanceRegistry(StateFolder, Time);
        Directory = new LocalInstanceDirectory(Registry);
    }

    public string Cluster { get; }
    public string StateFolder { get; }
    public LocalEndpoints Endpoints { get; }
    public TimeProvider Time { get; }

    /// <summary>How long a stopping instance's processes get after SIGTERM before SIGKILL.</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    public LocalInstanceRegistry Registry { get; }
    public LocalInstanceDirectory Directory { get; }

    internal NamespaceNetwork Network { get; }

    /// <summary>The cluster's API endpoint: HAProxy on the bridge over every controller.</summary>
    public LocalApiLoadBalancer ApiLoadBalancer { get; }

    /// <summary>The bridge that is the cluster's VPC on this machine.</summary>
    public string Bridge => Network.Bridge;

    /// <summary>The network namespace an instance runs in (<c>ip netns exec</c> it to look inside).</summary>
    public string NamespaceOf(string instanceId) => Network.NamespaceOf(instanceId);

    /// <summary>The folder that holds every instance's root folder.</summary>
    public string InstancesFolder => Path.Join(StateFolder, "instances");

    public string RootFolderOf(InstanceSlot slot) => Path.Join(InstancesFolder, slot.Name);

    public IReadOnlyDictionary<string, string> TagsOf(ResourceKey key, InstanceSlot slot) => ClusterTags.For(Cluster, key, slot);

    /// <summary>
    /// Readies the VPC before anything reaches it: the bridge with the cluster's endpoints (refused, with nothing changed,
    /// when this machine already routes into the VPC: <see cref="LocalNetworkConflictException"/>), and whatever a crashed
    /// run left removed: another cluster's abandoned network in the VPC, and this cluster's namespaces and routes of
    /// instances the registry does not hold. Returns what it removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> PrepareNetworkAsync(CancellationToken cancellationToken)
    {
        var reclaimed = await Network.EnsureAsync(cancellationToken);
        var stray = await Network.RemoveStrayAsync(async ct => (await Registry.ListAsync(ct))
            .Where(i => i.State != LocalInstanceState.Terminated)
            .ToDictionary(i => i.InstanceId, i => IPAddress.Parse(i.PrivateIp), StringComparer.Ordinal), cancellationToken);
        return [.. reclaimed, .. stray];
    }

    /// <summary>The reconciler's handlers: the network (<c>local-network</c>), the API endpoint on it
    /// (<c>local-load-balancer</c>), its instances (<c>local-instance</c>).</summary>
    public IReadOnlyList<IResourceHandler> Handlers(IInstanceBootstrap bootstrap) =>
        [new LocalNetworkHandler(Network), new LocalApiLoadBalancerHandler(ApiLoadBalancer), new LocalInstanceHandler(this, bootstrap)];
}
