using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Components.KubeApiServer;

/// <summary>
/// The URL of the cluster's HA endpoint before the provider has told it (<see cref="ClusterMaterial.ApiEndpoint"/>, which
/// the service-account issuer names once known): on AWS its name in the cluster's domain
/// (<see cref="ClusterTopology.ApiEndpointName"/>, which every apiserver certificate carries); on the local provider
/// HAProxy on the VPC's reserved address (.3), port 6443, exactly what the provider tells.
/// </summary>
public static class ApiEndpointUrl
{
    public static Uri Of(ClusterTopology topology) => topology.Spec.Provider == ProviderKind.Local
        ? new Uri($"https://{topology.Reserved.ApiEndpoint}:{Ports.KubeApiServer}")
        : new Uri($"https://{topology.ApiEndpointName}:{Ports.KubeApiServer}");

    /// <summary>As the role configuration writes it: no trailing slash.</summary>
    public static string Text(ClusterTopology topology) => Of(topology).AbsoluteUri.TrimEnd('/');
}
