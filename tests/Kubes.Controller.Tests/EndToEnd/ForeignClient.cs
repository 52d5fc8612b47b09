using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// An attacker's copy of an admin kubeconfig: the same server, the same trusted CA and the admin's very names
/// (<c>CN=kubes-admin, O=system:masters</c>), but a client certificate and key from a CA of the attacker's own.
/// </summary>
internal static partial class ForeignClient
{
    public static string Kubeconfig(string admin)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=kubes", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kubes-admin, O=system:masters", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3, 4]);

        var certificate = Convert.ToBase64String(Encoding.ASCII.GetBytes(client.ExportCertificatePem()));
        var privateKey = Convert.ToBase64String(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
        var replaced = CertificateData().Replace(admin, $"${{indent}}client-certificate-data: {certificate}");
        replaced = KeyData().Replace(replaced, $"${{indent}}client-key-data: {privateKey}");
        Assert.NotEqual(admin, replaced);
        return replaced;
    }

    [GeneratedRegex(@"^(?<indent>\s*)client-certificate-data: \S+$", RegexOptions.Multiline)]
    private static partial Regex CertificateData();

    [GeneratedRegex(@"^(?<indent>\s*)client-key-data: \S+$", RegexOptions.Multiline)]
    private static partial Regex KeyData();
}
