using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Components.KubeApiServer;

/// <summary>
/// The URL of the cluster's HA endpoint, the one every client outside a controller uses and the service-account issuer
/// names: the provider's, once it exists (<see cref="ClusterMaterial.ApiEndpoint"/>: the load balancer's DNS name on AWS,
/// HAProxy on the VPC's reserved address .3 locally). Before that (a registrar without a provider) the name it will be
/// reached by: locally the same address, on AWS the load balancer's name in the cluster's domain
/// (<see cref="ClusterTopology.ApiEndpointName"/>, which every apiserver certificate carries too).
/// </summary>
public static class ApiEndpointUrl
{
    public static Uri Of(ClusterTopology topology, ClusterMaterial material) => material.ApiEndpoint?.Url
        ?? (topology.Spec.Provider == ProviderKind.Local
            ? new Uri($"https://{topology.Reserved.ApiEndpoint}:{Ports.KubeApiServer}")
            : new Uri($"https://{topology.ApiEndpointName}:{Ports.KubeApiServer}"));

    /// <summary>As the role configuration writes it: no trailing slash.</summary>
    public static string Text(ClusterTopology topology, ClusterMaterial material) => Of(topology, material).AbsoluteUri.TrimEnd('/');
}
