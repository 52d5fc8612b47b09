using System.Text.Json.Serialization;

namespace Kubes.Agent.Components.KubeApiServer;

// The files kube-apiserver reads, as typed models: every field Kubes sets, in the order the files show them. Field names
// are the APIs' (AuthenticationConfiguration, EncryptionConfiguration and Policy .fields.tsv in the reference).

/// <summary><c>apiserver.config.k8s.io/v1</c> <c>AuthenticationConfiguration</c> (<c>--authentication-config</c>).</summary>
public sealed record AuthenticationConfiguration
{
    public string ApiVersion { get; init; } = "apiserver.config.k8s.io/v1";
    public string Kind { get; init; } = "AuthenticationConfiguration";
    public required AnonymousAuthentication Anonymous { get; init; }
}

/// <param name="Conditions">The only paths an anonymous request may reach; every other one is refused as unauthenticated.</param>
public sealed record AnonymousAuthentication(bool Enabled, IReadOnlyList<AnonymousCondition> Conditions);

public sealed record AnonymousCondition(string Path);

/// <summary><c>apiserver.config.k8s.io/v1</c> <c>EncryptionConfiguration</c> (<c>--encryption-provider-config</c>).</summary>
public sealed record EncryptionConfiguration
{
    public string ApiVersion { get; init; } = "apiserver.config.k8s.io/v1";
    public string Kind { get; init; } = "EncryptionConfiguration";
    public required IReadOnlyList<EncryptedResources> Resources { get; init; }
}

public sealed record EncryptedResources(IReadOnlyList<string> Resources, IReadOnlyList<EncryptionProvider> Providers);

/// <summary>One provider, exactly one member set: <c>secretbox</c> with keys, or <c>identity</c> (plain text).</summary>
public sealed record EncryptionProvider
{
    public SecretboxProvider? Secretbox { get; init; }
    public IdentityProvider? Identity { get; init; }
}

public sealed record SecretboxProvider(IReadOnlyList<EncryptionKey> Keys);

public sealed record EncryptionKey(string Name, string Secret);

public sealed record IdentityProvider;

/// <summary><c>audit.k8s.io/v1</c> <c>Policy</c> (<c>--audit-policy-file</c>).</summary>
public sealed record AuditPolicy
{
    public string ApiVersion { get; init; } = "audit.k8s.io/v1";
    public string Kind { get; init; } = "Policy";
    public IReadOnlyList<string>? OmitStages { get; init; }
    public required IReadOnlyList<AuditRule> Rules { get; init; }
}

public sealed record AuditRule
{
    public required string Level { get; init; }
    public IReadOnlyList<string>? Users { get; init; }
    public IReadOnlyList<string>? Verbs { get; init; }
    public IReadOnlyList<AuditGroupResources>? Resources { get; init; }
    [JsonPropertyName("nonResourceURLs")]
    public IReadOnlyList<string>? NonResourceUrls { get; init; }
}

public sealed record AuditGroupResources(string Group, IReadOnlyList<string> Resources);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AuthenticationConfiguration))]
[JsonSerializable(typeof(EncryptionConfiguration))]
[JsonSerializable(typeof(AuditPolicy))]
public sealed partial class KubeApiServerJsonContext : JsonSerializerContext;
