using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Local;

/// <summary>
/// The local provider's resources: the cluster's VPC as a bridge on this machine, holding the cluster's own endpoints,
/// and one instance (a process tree in a network namespace of its own at its slot's address) per slot.
/// </summary>
public static class LocalClusterModel
{
    public const string NetworkType = "local-network";
    public const string InstanceType = "local-instance";

    public static ResourceKey Network { get; } = new(NetworkType, "main");

    public static ResourceKey Instance(InstanceSlot slot) => new(InstanceType, slot.Name);

    public static IReadOnlyList<DesiredResource> Build(ClusterTopology topology) =>
    [
        new LocalNetworkResource(Network, topology.VpcCidr, NamespaceNetwork.BridgeOf(topology.Spec.Name, topology.Spec.StateStore), LocalEndpoints.Of(topology)),
        .. topology.Slots.Select(slot => new LocalInstanceResource(Instance(slot), slot)),
    ];
}

public sealed record LocalNetworkResource(ResourceKey Key, Cidr Vpc, string Bridge, LocalEndpoints Endpoints) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("vpc", Vpc.ToString()),
        new("bridge", Bridge),
        new("coordinator", Endpoints.Coordinator.ToString()),
        new("metadata", Endpoints.Metadata.ToString()),
        new("apiEndpoint", Endpoints.ApiServer.ToString()),
    ];
}

public sealed record LocalInstanceResource(ResourceKey Key, InstanceSlot Slot) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [LocalClusterModel.Network];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("role", Slot.Role.TagValue()),
        new("address", Slot.PrivateIp?.ToString() ?? "(none)"),
        new("zone", Slot.Zone.Zone),
        new("root", $"<state>/instances/{Slot.Name}"),
        new("userData", "bootstrap.sh with a single-use join token"),
    ];
}
