using System.Text.Json.Serialization;

namespace Kubes.Agent.Components.Kubelet;

/// <summary>
/// The kubelet's configuration file (<c>kubelet.config.k8s.io/v1beta1</c>, <c>KubeletConfiguration</c>): every field Kubes
/// sets, in the order the file shows them. Field names are the API's (KubeletConfiguration.fields.tsv in the reference).
/// </summary>
public sealed record KubeletConfiguration
{
    public string ApiVersion { get; init; } = "kubelet.config.k8s.io/v1beta1";
    public string Kind { get; init; } = "KubeletConfiguration";
    public required string Address { get; init; }
    public int Port { get; init; } = Protos.Contract.Ports.Kubelet;
    public int ReadOnlyPort { get; init; }
    public required string HealthzBindAddress { get; init; }
    public int HealthzPort { get; init; } = KubeletHealthCheck.HealthzPort;
    public required string TlsCertFile { get; init; }
    public required string TlsPrivateKeyFile { get; init; }
    public required string TlsMinVersion { get; init; }
    public required IReadOnlyList<string> TlsCipherSuites { get; init; }
    public bool RotateCertificates { get; init; }
    public bool ServerTLSBootstrap { get; init; }
    public required KubeletAuthentication Authentication { get; init; }
    public required KubeletAuthorization Authorization { get; init; }
    public required string ClusterDomain { get; init; }
    public required IReadOnlyList<string> ClusterDNS { get; init; }
    public required string ContainerRuntimeEndpoint { get; init; }
    public required string CgroupDriver { get; init; }
    public required string ResolvConf { get; init; }
    public required string StreamingConnectionIdleTimeout { get; init; }
    public int EventRecordQPS { get; init; }
    public long PodPidsLimit { get; init; }
    public bool ProtectKernelDefaults { get; init; }
    public bool MakeIPTablesUtilChains { get; init; }
    public bool FailSwapOn { get; init; }
    public bool SeccompDefault { get; init; }
    public bool RegisterNode { get; init; }
    [JsonPropertyName("providerID")]
    public string? ProviderId { get; init; }
}

public sealed record KubeletAuthentication(KubeletX509 X509, KubeletWebhookAuthentication Webhook, KubeletAnonymous Anonymous);

public sealed record KubeletX509(string ClientCAFile);

public sealed record KubeletWebhookAuthentication(bool Enabled, string CacheTTL);

public sealed record KubeletAnonymous(bool Enabled);

public sealed record KubeletAuthorization(string Mode, KubeletWebhookAuthorization Webhook);

public sealed record KubeletWebhookAuthorization(string CacheAuthorizedTTL, string CacheUnauthorizedTTL);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeletConfiguration))]
public sealed partial class KubeletJsonContext : JsonSerializerContext;
