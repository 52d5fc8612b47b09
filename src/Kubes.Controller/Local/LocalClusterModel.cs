using System.Net;
using Kubes.Controller.Local.Haproxy;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Local;

/// <summary>
/// The local provider's resources: the cluster's VPC as a bridge on this machine, holding the cluster's own endpoints,
/// the API endpoint's HAProxy on it over every controller, and one instance (a process tree in a network namespace of its
/// own at its slot's address) per slot.
/// </summary>
public static class LocalClusterModel
{
    public const string NetworkType = "local-network";
    public const string InstanceType = "local-instance";
    public const string LoadBalancerType = "local-load-balancer";

    public static ResourceKey Network { get; } = new(NetworkType, "main");
    public static ResourceKey LoadBalancer { get; } = new(LoadBalancerType, "api");

    public static ResourceKey Instance(InstanceSlot slot) => new(InstanceType, slot.Name);

    public static IReadOnlyList<DesiredResource> Build(ClusterTopology topology) =>
    [
        new LocalNetworkResource(Network, topology.VpcCidr, NamespaceNetwork.BridgeOf(topology.Spec.Name, topology.Spec.StateStore), LocalEndpoints.Of(topology)),
        // A cluster without controllers (a test's) has no API to balance.
        .. topology.SlotsOf(InstanceRole.Controller).Any() ? [new LocalApiLoadBalancerResource(LoadBalancer, ApiLoadBalancerOf(topology))] : Array.Empty<DesiredResource>(),
        .. topology.Slots.Select(slot => new LocalInstanceResource(Instance(slot), slot)),
    ];

    /// <summary>HAProxy on the API endpoint's address of the bridge, over every controller slot's apiserver.</summary>
    public static HaproxyConfiguration ApiLoadBalancerOf(ClusterTopology topology) =>
        new(topology.Spec.Name, LocalEndpoints.Of(topology).ApiServer,
            [
                .. topology.SlotsOf(InstanceRole.Controller).Select(slot => new ApiBackend(slot.Name,
                    new IPEndPoint(slot.PrivateIp ?? throw new LocalProviderException(
                        $"Controller slot {slot.Name} has no fixed address. A local spec gives every slot one: set provider: local in the spec."),
                        Ports.KubeApiServer))),
            ],
            HealthCheckTiming.Default);
}

/// <summary>The cluster's API endpoint: HAProxy on this machine, in TCP mode, over every controller.</summary>
public sealed record LocalApiLoadBalancerResource(ResourceKey Key, HaproxyConfiguration Configuration) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [LocalClusterModel.Network];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("listen", Configuration.Frontend.ToString()),
        new("mode", "tcp"),
        new("backends", string.Join(", ", Configuration.Backends.Select(b => $"{b.Name} {b.Address}"))),
        new("healthCheck", $"HTTPS GET /readyz every {Configuration.Timing.Interval.TotalSeconds:0.#} s"),
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
