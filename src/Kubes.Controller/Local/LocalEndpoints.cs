using System.Net;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Local;

/// <summary>
/// Where a local cluster's own services are reached: on the host's side of its bridge, at the VPC's reserved addresses
/// (<see cref="ReservedAddresses"/>), each a /32 of the bridge. Every instance reaches them through its <c>eth0</c>;
/// this machine reaches them directly.
/// </summary>
/// <param name="Coordinator">The cluster's <c>kubes serve</c>, gRPC (the router's address, VPC .1).</param>
/// <param name="Metadata">Every instance's IMDSv2, told apart by source address (VPC .1, like the coordinator).</param>
/// <param name="ApiServer">The HA endpoint of the Kubernetes API, HAProxy over every controller (VPC .3): the one
/// address nodes, operators and controllers' clients use, never one controller's.</param>
public sealed record LocalEndpoints(IPEndPoint Coordinator, IPEndPoint Metadata, IPEndPoint ApiServer)
{
    public static LocalEndpoints Of(ClusterTopology topology)
    {
        var reserved = topology.Reserved;
        return new LocalEndpoints(
            new IPEndPoint(reserved.Router, Ports.Coordinator),
            new IPEndPoint(reserved.Router, LocalMetadataService.DefaultPort),
            new IPEndPoint(reserved.ApiEndpoint, Ports.KubeApiServer));
    }

    /// <summary>The addresses the bridge holds for them, the coordinator's first (the source of the host's packets to instances).</summary>
    public IReadOnlyList<IPAddress> BridgeAddresses => [.. new[] { Coordinator.Address, Metadata.Address, ApiServer.Address }.Distinct()];

    /// <summary>The HA endpoint as clients name it.</summary>
    public ApiEndpoint Api => new(ApiServer.Address.ToString(), ApiServer.Port);

    /// <summary>What every instance gets as <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>.</summary>
    public Uri MetadataUrl => new($"http://{Metadata}/");
}
