using System.Text.Json.Serialization;

namespace Kubes.Agent.Configuration;

/// <summary>
/// The agent's configuration, written by user-data to <c>&lt;root&gt;/etc/kubes/agent.json</c> (mode 0600).
/// The join token in it is single-use: once joined, the agent resumes from its own state folder.
/// Settable properties, not init-only: the JSON source generator would otherwise reset every absent field
/// to its type's default instead of the default written here.
/// </summary>
public sealed record AgentConfig
{
    public required string Cluster { get; set; }
    /// <summary><c>etcd</c>, <c>controller</c>, <c>node</c> or <c>bastion</c>.</summary>
    public required string Role { get; set; }
    public int Slot { get; set; }
    public string JoinToken { get; set; } = "";
    /// <summary>
    /// Set instead of a join token in the shared user-data of an Auto Scaling group: the STS endpoint the agent signs its
    /// GetCallerIdentity proof for (the coordinator replays it there), and the region it is signed for.
    /// </summary>
    public string StsEndpoint { get; set; } = "";
    public string StsRegion { get; set; } = "";
    /// <summary><c>grpc</c> or <c>s3</c>.</summary>
    public string Channel { get; set; } = "s3";
    public string CoordinatorUrl { get; set; } = "";
    /// <summary><c>sha256:&lt;hex&gt;</c> of the coordinator CA certificate's DER; the only trust the gRPC channel has.</summary>
    public string CoordinatorCaSha256 { get; set; } = "";
    /// <summary>
    /// The coordinator CA certificate itself (base64 DER), checked against <see cref="CoordinatorCaSha256"/>. A .NET
    /// TLS server never sends its root CA in the handshake, so the agent needs it here to verify the chain.
    /// </summary>
    public string CoordinatorCa { get; set; } = "";
    public MailboxSettings? Mailbox { get; set; }
    /// <summary>Prefix of every path the agent touches: <c>/</c> on AWS, a folder per instance for the local provider.</summary>
    public string RootDir { get; set; } = "/";
    /// <summary>How often the agent checks and reports its role's health once installed.</summary>
    public int HealthIntervalSeconds { get; set; } = 30;

    /// <summary>No join token: the first join proves the instance through STS.</summary>
    [JsonIgnore]
    public bool ProvesIdentityThroughSts => JoinToken.Length == 0 && StsEndpoint.Length > 0;
}

public sealed record MailboxSettings
{
    public required string Bucket { get; set; }
    public string Prefix { get; set; } = "";
    public string Region { get; set; } = "us-east-1";
    /// <summary>An S3-compatible endpoint (path-style requests); empty means AWS itself.</summary>
    public string? Endpoint { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(AgentConfig))]
internal sealed partial class AgentConfigJsonContext : JsonSerializerContext;
