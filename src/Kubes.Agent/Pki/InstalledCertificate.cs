using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Protos.V1;

namespace Kubes.Agent.Pki;

/// <summary>What the renewal decision needs to know of a certificate installed in the PKI folder.</summary>
/// <param name="Usable">Its key is there, of the spec's algorithm, and the certificate carries it; its CA file is there.</param>
/// <param name="PolicyHash">The policy hash it was issued under; null when the agent did not record one.</param>
public sealed record InstalledCertificate(
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string SerialNumber,
    bool Usable,
    string? PolicyHash)
{
    /// <summary>The certificate installed for <paramref name="spec"/>; null when there is none, or none that can be read.</summary>
    public static InstalledCertificate? Read(PkiFiles files, CertificateRequestSpec spec, AgentKey? key)
    {
        var path = files.CertificatePath(spec.FileStem);
        if (!File.Exists(path)) return null;
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            var hashFile = files.PolicyHashPath(spec.FileStem);
            return new InstalledCertificate(
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
                certificate.SerialNumber,
                key is not null && key.IsKeyOf(certificate) && File.Exists(files.CaPath(spec.FileStem)),
                File.Exists(hashFile) ? File.ReadAllText(hashFile).Trim() : null);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
