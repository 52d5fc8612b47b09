using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kubes.Protos.Contract;

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

    /// <summary>
    /// Lower-case hex SHA-256 of everything the policy puts into this identity's certificate for a key of
    /// <paramref name="keyAlgorithm"/>: issuer, subject, names, usages and lifetime. It travels in the RoleConfig
    /// (<c>CertificateRequestSpec.policy_hash</c>); an agent whose certificate was issued under another hash requests it
    /// again at once, without waiting for two thirds of its lifetime.
    /// </summary>
    public string PolicyHash(string keyAlgorithm)
    {
        var rsaKey = keyAlgorithm != KeyAlgorithms.EcdsaP256;
        var invariant = CultureInfo.InvariantCulture;
        string[] lines =
        [
            $"identity={Name}",
            $"issuer={Issuer.Slug()}",
            $"cn={CommonName}",
            $"o={string.Join(',', Organizations)}",
            $"dns={string.Join(',', DnsNames)}",
            $"ip={string.Join(',', IpAddresses)}",
            $"key-usage={((int)KeyUsageFor(rsaKey)).ToString(invariant)}",
            $"extended-key-usage={((int)ExtendedKeyUsages).ToString(invariant)}",
            $"lifetime-seconds={((long)Lifetime.TotalSeconds).ToString(invariant)}",
            $"key-algorithm={keyAlgorithm}",
        ];
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))));
    }

    /// <summary>Value equality over the lists too, so that two policies can be compared.</summary>
    public bool Equals(CertificateIdentity? other) =>
        other is not null
        && Kind == other.Kind && Name == other.Name && Issuer == other.Issuer && CommonName == other.CommonName
        && Organizations.SequenceEqual(other.Organizations) && DnsNames.SequenceEqual(other.DnsNames)
        && IpAddresses.SequenceEqual(other.IpAddresses) && KeyUsage == other.KeyUsage
        && ExtendedKeyUsages == other.ExtendedKeyUsages && Lifetime == other.Lifetime;

    public override int GetHashCode() => HashCode.Combine(Kind, Name, Issuer, CommonName);
}
