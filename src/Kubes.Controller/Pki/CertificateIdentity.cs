using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Controller.Pki;

/// <summary>
/// Everything a certificate of one identity contains, decided by <see cref="IssuancePolicy"/>. The CSR
/// contributes only its public key.
/// </summary>
/// <param name="Name">Unique in the cluster: <c>&lt;kind slug&gt;/&lt;subject&gt;</c>, e.g. <c>kubelet-client/node-3</c>.</param>
/// <param name="KeyUsage">For ECDSA keys; see <see cref="KeyUsageFor"/> for RSA.</param>
public sealed record CertificateIdentity(
    IdentityKind Kind,
    string Name,
    CertificateAuthorityKind Issuer,
    string CommonName,
    IReadOnlyList<string> Organizations,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> IpAddresses,
    X509KeyUsageFlags KeyUsage,
    ExtendedKeyUsages ExtendedKeyUsages,
    TimeSpan Lifetime)
{
    /// <summary>The stem of the agent's files for this identity: &lt;stem&gt;.key, &lt;stem&gt;.crt, &lt;stem&gt;-ca.crt.</summary>
    public string FileStem => Kind.Slug();

    public bool IsServer => ExtendedKeyUsages.HasFlag(ExtendedKeyUsages.ServerAuth);

    /// <summary>
    /// The key usage issued for a key of the given type: a server certificate with an RSA key also gets
    /// keyEncipherment (RSA key transport in TLS 1.2); an ECDSA key never does.
    /// </summary>
    public X509KeyUsageFlags KeyUsageFor(bool rsaKey) =>
        rsaKey && IsServer ? KeyUsage | X509KeyUsageFlags.KeyEncipherment : KeyUsage;

    /// <summary>Value equality over the lists too, so that two policies can be compared.</summary>
    public bool Equals(CertificateIdentity? other) =>
        other is not null
        && Kind == other.Kind && Name == other.Name && Issuer == other.Issuer && CommonName == other.CommonName
        && Organizations.SequenceEqual(other.Organizations) && DnsNames.SequenceEqual(other.DnsNames)
        && IpAddresses.SequenceEqual(other.IpAddresses) && KeyUsage == other.KeyUsage
        && ExtendedKeyUsages == other.ExtendedKeyUsages && Lifetime == other.Lifetime;

    public override int GetHashCode() => HashCode.Combine(Kind, Name, Issuer, CommonName);
}
