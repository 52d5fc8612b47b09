using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Controller.Pki;

/// <summary>
/// The coordinator's TLS certificate for <c>kubes serve</c>: a fresh key each start (it never leaves the process),
/// signed by the Kubernetes CA, whose hash agents pin from their user-data.
/// </summary>
public static class CoordinatorCertificate
{
    /// <summary>The coordinator's own key is always ECDSA P-256, whatever the spec's key algorithm.</summary>
    public const bool KeyIsRsa = false;

    /// <summary>What the certificate of a coordinator listening on <paramref name="address"/> holds.</summary>
    public static CertificateIdentity IdentityFor(IssuancePolicy policy, IPAddress address, IEnumerable<string> dnsNames) =>
        policy.ForCoordinator([address, IPAddress.Loopback], dnsNames);

    public static X509Certificate2 Issue(ClusterPki pki, IssuancePolicy policy, IPAddress address, IEnumerable<string> dnsNames)
    {
        var identity = IdentityFor(policy, address, dnsNames);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={identity.CommonName}", key, HashAlgorithmName.SHA256);
        var issued = CsrSigner.Sign(pki, identity, request.CreateSigningRequestPem());
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Kestrel needs a key it can use after this method returns: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>sha256:&lt;hex&gt; of the CA certificate's DER, as agents pin it.</summary>
    public static string PinOf(X509Certificate2 ca) => $"sha256:{Convert.ToHexStringLower(SHA256.HashData(ca.RawData))}";
}
