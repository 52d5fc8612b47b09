using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Pki;

/// <summary>
/// One self-signed CA of the cluster: its certificate (public) and its private key (kept in memory, written
/// to disk only encrypted, see <see cref="Store.PkiFileSet"/>).
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>How far notBefore is set back, so that a host whose clock lags a little accepts a fresh certificate.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>A CA signs certificates and revocation lists, nothing else.</summary>
    public const X509KeyUsageFlags KeyUsage = X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign;

    private CertificateAuthority(CertificateAuthorityKind kind, X509Certificate2 certificate, SigningKey key)
    {
        Kind = kind;
        Certificate = certificate;
        Key = key;
        CertificatePem = certificate.ExportCertificatePem();
    }

    public CertificateAuthorityKind Kind { get; }

    /// <summary>The CA certificate, without its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    public DateTimeOffset NotAfter => new(Certificate.NotAfter.ToUniversalTime());

    /// <summary>"ECDSA P-256", "RSA 4096".</summary>
    public string KeyDescription => Key.Description;

    internal SigningKey Key { get; }

    /// <summary><c>kubes-&lt;cluster&gt;-&lt;kind&gt;-ca</c>, e.g. kubes-prod-front-proxy-ca.</summary>
    public static string CommonNameFor(string clusterName, CertificateAuthorityKind kind) =>
        $"kubes-{clusterName}-{kind.Slug()}-ca";

    public static CertificateAuthority Create(string clusterName, CertificateAuthorityKind kind, PkiSpec spec,
        TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterName);
        if (spec.CaLifetime.Minutes <= 0)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.CaLifetime, "pki.caLifetime must be positive");

        var key = SigningKey.Generate(spec.KeyAlgorithm);
        try
        {
            var subject = new X500DistinguishedNameBuilder();
            subject.AddCommonName(CommonNameFor(clusterName, kind));
            var request = new CertificateRequest(subject.Build(), key.PublicKey, SigningKey.HashAlgorithm);
            // pathlen 0: the CA signs leaf certificates only, never another CA.
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(KeyUsage, critical: true));
            var subjectKeyId = new X509SubjectKeyIdentifierExtension(key.PublicKey, critical: false);
            request.CertificateExtensions.Add(subjectKeyId);
            request.CertificateExtensions.Add(
                X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(subjectKeyId));

            var now = (clock ?? TimeProvider.System).GetUtcNow();
            var certificate = request.Create(subject.Build(), key.SignatureGenerator(), now - ClockSkewAllowance,
                now + spec.CaLifetime.Value, SerialNumber.NewRandom());
            return new CertificateAuthority(kind, certificate, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Rebuilds a CA from its stored certificate and decrypted key; checks that they belong together.</summary>
    internal static CertificateAuthority Restore(CertificateAuthorityKind kind, X509Certificate2 certificate, SigningKey key)
    {
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
        if (constraints is not { CertificateAuthority: true })
            throw new CryptographicException($"the {kind.Slug()} CA certificate '{certificate.Subject}' is not a CA certificate");
        if (!certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan()
                .SequenceEqual(key.PublicKey.ExportSubjectPublicKeyInfo()))
            throw new CryptographicException($"the {kind.Slug()} CA key does not belong to its certificate");
        return new CertificateAuthority(kind, certificate, key);
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }
}
