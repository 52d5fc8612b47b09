using Kubes.Protos.Contract;
using System.Net;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

/// <summary>Where <c>kubes serve</c> listens for the agents' gRPC when <c>--listen</c> does not say.</summary>
public static class CoordinatorListen
{
    public const int Port = Ports.Coordinator;

    /// <summary>The local provider's instances reach the VPC's first address; on AWS, loopback (behind a tunnel or proxy).</summary>
    public static IPEndPoint Default(ClusterTopology topology) =>
        topology.Spec.Provider == ProviderKind.Local ? LocalServeDaemon.ListenFor(topology) : new IPEndPoint(IPAddress.Loopback, Port);
}
