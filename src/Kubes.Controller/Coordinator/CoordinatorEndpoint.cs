namespace Kubes.Controller.Coordinator;

/// <summary>How agents reach the coordinator: its gRPC URL and the CA they pin (hash and DER).</summary>
public sealed record CoordinatorEndpoint(string Url, string CaSha256, string CaBase64Der);

/// <summary>How agents reach the S3 mailbox; <see cref="Endpoint"/> is empty on AWS.</summary>
public sealed record MailboxEndpoint(string Bucket, string Prefix, string Region, string Endpoint);

/// <summary>The STS endpoint a node of an Auto Scaling group signs its GetCallerIdentity proof for, and its signing region:
/// the one the coordinator replays proofs to.</summary>
public sealed record StsProofEndpoint(string Url, string Region);
