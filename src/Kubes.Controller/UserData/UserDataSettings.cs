using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.UserData;

/// <summary>What one instance's user-data tells its bootstrap script: who it is and how to reach the coordinator.</summary>
public sealed record UserDataSettings
{
    public required string Cluster { get; init; }
    public required InstanceRole Role { get; init; }
    public required int Slot { get; init; }
    /// <summary>Single-use and expiring; the coordinator keeps only its hash. Empty in the shared user-data of an Auto
    /// Scaling group, whose nodes prove themselves through <see cref="StsEndpoint"/> instead.</summary>
    public required string JoinToken { get; init; }
    /// <summary>Where the agent's signed GetCallerIdentity proof is addressed (the coordinator's own STS); empty with a token.</summary>
    public string StsEndpoint { get; init; } = "";
    public string StsRegion { get; init; } = "";
    /// <summary>A presigned URL of the kubes-agent binary.</summary>
    public required string AgentUrl { get; init; }
    /// <summary>Lower-case hex SHA-256 of the agent binary; the script refuses anything else.</summary>
    public required string AgentSha256 { get; init; }
    public required AgentChannel Channel { get; init; }
    public string CoordinatorUrl { get; init; } = "";
    /// <summary><c>sha256:&lt;hex&gt;</c> of the coordinator CA certificate's DER.</summary>
    public string CoordinatorCaSha256 { get; init; } = "";
    /// <summary>The coordinator CA certificate, base64 DER: a .NET TLS server does not send its root, so the agent needs it.</summary>
    public string CoordinatorCa { get; init; } = "";
    public string MailboxBucket { get; init; } = "";
    public string MailboxPrefix { get; init; } = "";
    public string MailboxRegion { get; init; } = "";
    /// <summary>An S3-compatible endpoint for the mailbox; empty on AWS.</summary>
    public string MailboxEndpoint { get; init; } = "";
    /// <summary>The root folder when the environment gives no KUBES_ROOT: <c>/</c> on AWS.</summary>
    public string RootDefault { get; init; } = "/";
}
