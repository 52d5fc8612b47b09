using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Controller.Tests.Channels.Grpc;

/// <summary>A test CA and a serving certificate it signed for 127.0.0.1, standing in for the coordinator's.</summary>
public sealed class ServingCertificate : IDisposable
{
    private ServingCertificate(X509Certificate2 ca, X509Certificate2 certificate)
    {
        Ca = ca;
        Certificate = certificate;
    }

    public X509Certificate2 Ca { get; }
    public X509Certificate2 Certificate { get; }

    public static ServingCertificate ForLoopback(string caName = "kubes test coordinator CA")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubes coordinator", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = request.Create(ca, now.AddMinutes(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        return new ServingCertificate(ca, signed.CopyWithPrivateKey(key));
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Ca.Dispose();
    }
}
