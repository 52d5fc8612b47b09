using System.Net;
using System.Security.Cryptography;

namespace Kubes.Agent.Tests.Support;

/// <summary>A client certificate from a test CA, written as the agent keeps its own: PEM certificate, key and CA files.</summary>
public static class ClientCertificateFiles
{
    public static void Write(TestCertificateAuthority ca, string commonName, string certificateFile, string keyFile, string caFile)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = ca.Sign(csr.CreateSigningRequestPem(), commonName, [IPAddress.Loopback], server: false, client: true);
        Directory.CreateDirectory(Path.GetDirectoryName(certificateFile)!);
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(caFile, ca.CertificatePem);
    }
}
