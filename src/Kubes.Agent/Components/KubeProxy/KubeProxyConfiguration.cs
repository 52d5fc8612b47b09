using System.Text.Json.Serialization;

namespace Kubes.Agent.Components.KubeProxy;

/// <summary>
/// kube-proxy's configuration file (<c>kubeproxy.config.k8s.io/v1alpha1</c>, <c>KubeProxyConfiguration</c>): every field
/// Kubes sets, in the order the file shows them (KubeProxyConfiguration.fields.tsv in the reference).
/// </summary>
public sealed record KubeProxyConfiguration
{
    public string ApiVersion { get; init; } = "kubeproxy.config.k8s.io/v1alpha1";
    public string Kind { get; init; } = "KubeProxyConfiguration";
    public required KubeProxyClientConnection ClientConnection { get; init; }
    public required string HostnameOverride { get; init; }
    public required string BindAddress { get; init; }
    public required string HealthzBindAddress { get; init; }
    public required string MetricsBindAddress { get; init; }
    public required string Mode { get; init; }
    [JsonPropertyName("clusterCIDR")]
    public required string ClusterCidr { get; init; }
    /// <summary>Set only where kube-proxy must leave the kernel's conntrack table alone (a local instance shares this machine's).</summary>
    public KubeProxyConntrack? Conntrack { get; init; }
}

public sealed record KubeProxyClientConnection(string Kubeconfig);

public sealed record KubeProxyConntrack(int MaxPerCore);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeProxyConfiguration))]
public sealed partial class KubeProxyJsonContext : JsonSerializerContext;
