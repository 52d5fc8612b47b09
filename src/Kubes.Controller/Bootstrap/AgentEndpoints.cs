using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;

namespace Kubes.Controller.Bootstrap;

/// <summary>How agents reach the coordinator: its gRPC URL (empty where they use the mailbox) and the CA they pin (hash and DER).</summary>
public sealed record CoordinatorEndpoint(string Url, string CaSha256, string CaBase64Der)
{
    /// <summary>The coordinator at <paramref name="url"/>, whose serving certificate the Kubernetes CA <paramref name="ca"/> signs.</summary>
    public static CoordinatorEndpoint For(string url, X509Certificate2 ca) =>
        new(url, CoordinatorCertificate.PinOf(ca), Convert.ToBase64String(ca.RawData));
}

/// <summary>How agents reach the S3 mailbox; <see cref="Endpoint"/> is empty on AWS.</summary>
public sealed record MailboxEndpoint(string Bucket, string Prefix, string Region, string Endpoint);

/// <summary>The STS endpoint a node of an Auto Scaling group signs its GetCallerIdentity proof for, and its signing region:
/// the one the coordinator replays proofs to.</summary>
public sealed record StsProofEndpoint(string Url, string Region);
