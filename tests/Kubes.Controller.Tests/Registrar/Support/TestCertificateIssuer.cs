using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf.WellKnownTypes;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using IssuedCertificate = Kubes.Protos.V1.IssuedCertificate;

namespace Kubes.Controller.Tests.Registrar.Support;

/// <summary>
/// Signs CSRs with a throw-away CA so the registrar's tests can run before the PKI is wired in.
/// The subject is the identity and the instance's name, never the CSR's own. Tests only.
/// </summary>
public sealed class TestCertificateIssuer : ICertificateIssuer, IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificateIssuer()
    {
        var request = new CertificateRequest("CN=kubes test CA", _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        Ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    public X509Certificate2 Ca { get; }

    public ConcurrentQueue<(string InstanceId, string Identity)> Issued { get; } = new();

    public Task<IssuedCertificate> IssueAsync(VerifiedInstance instance, CertificateIdentity policy, string csrPem,
        CancellationToken cancellationToken = default)
    {
        var identity = policy.Name;
        var csr = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={identity}, OU={instance.Name}"),
            csr.PublicKey, HashAlgorithmName.SHA256);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);
        using var certificate = request.Create(Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey),
            DateTimeOffset.UtcNow.AddMinutes(-1), notAfter, RandomNumberGenerator.GetBytes(16));
        Issued.Enqueue((instance.InstanceId, identity));
        return Task.FromResult(new IssuedCertificate
        {
            Identity = identity,
            CertificatePem = certificate.ExportCertificatePem(),
            CaPem = Ca.ExportCertificatePem(),
            NotAfter = Timestamp.FromDateTimeOffset(notAfter),
        });
    }

    public void Dispose()
    {
        Ca.Dispose();
        _caKey.Dispose();
    }
}
