using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Pki;

/// <summary>
/// What every leaf certificate of a cluster shares — its key usage and its lifetime — and the topology its names come
/// from: the issuance policy and each component make their identities with it, so no leaf differs in those.
/// </summary>
public sealed class LeafIdentities(ClusterTopology topology, TimeSpan lifetime)
{
    private const X509KeyUsageFlags LeafKeyUsage = X509KeyUsageFlags.DigitalSignature;

    public ClusterTopology Topology => topology;

    /// <summary>An identity named <c>&lt;kind slug&gt;/&lt;subject&gt;</c>.</summary>
    public CertificateIdentity Leaf(IdentityKind kind, string subject, CertificateAuthorityKind issuer, string commonName,
        IReadOnlyList<string> organizations, IReadOnlyList<string> dnsNames, IReadOnlyList<IPAddress> ipAddresses,
        ExtendedKeyUsages usages) =>
        new(kind, $"{kind.Slug()}/{subject}", issuer, commonName, organizations, dnsNames, ipAddresses, LeafKeyUsage, usages, lifetime);

    /// <summary>The fixed private address of a slot that has one (etcd members, controllers, nodes of the local provider).</summary>
    public static IPAddress FixedIpOf(InstanceSlot slot) =>
        slot.PrivateIp ?? throw new InvalidOperationException($"slot {slot.Name} has no fixed private address");
}
