using System.Net;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Providers;

/// <summary>Where <c>kubes serve</c> listens for the agents' gRPC when <c>--listen</c> does not say: the provider decides.</summary>
public static class CoordinatorListen
{
    public static IPEndPoint Default(ClusterTopology topology) =>
        ClusterProviders.For(topology.Spec.Provider).DefaultCoordinatorListen(topology);
}
