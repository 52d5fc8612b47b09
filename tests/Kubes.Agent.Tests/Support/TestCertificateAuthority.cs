using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Agent.Tests.Support;

/// <summary>A CA made in the test with System.Security.Cryptography (the real PKI is the coordinator's).</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificateAuthority(string name = "kubes test CA")
    {
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>Signs a CSR: only its public key is taken; names and usages are the test's (like the real policy).</summary>
    /// <param name="backdate">How far before now it is valid from (the real CA's clock-skew allowance is 5 minutes).</param>
    public X509Certificate2 Sign(string csrPem, string commonName, IEnumerable<IPAddress> ips, bool server = true, bool client = true,
        TimeSpan? lifetime = null, TimeSpan? backdate = null)
    {
        var csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256,
            CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), csr.PublicKey, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, ips, server, client);
        var notBefore = DateTimeOffset.UtcNow - (backdate ?? TimeSpan.FromMinutes(5));
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key),
            notBefore, notBefore + (lifetime ?? TimeSpan.FromDays(7)), RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>A serving certificate with its private key, for a test server.</summary>
    public X509Certificate2 IssueServer(string commonName, params IPAddress[] ips) =>
        IssueServer(commonName, serverAuth: true, clientAuth: false, ips);

    /// <summary>A certificate with its private key and the given usages, for a test server.</summary>
    public X509Certificate2 IssueServer(string commonName, bool serverAuth, bool clientAuth, params IPAddress[] ips)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        AddLeafExtensions(request, ips, serverAuth, clientAuth);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key),
            notBefore, notBefore.AddDays(7), RandomNumberGenerator.GetBytes(16));
        // Through PKCS#12 so that the key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    private void AddLeafExtensions(CertificateRequest request, IEnumerable<IPAddress> ips, bool server, bool client)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var usages = new OidCollection();
        if (server)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        if (client)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var ip in ips)
        {
            names.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
