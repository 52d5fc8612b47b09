using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Controller.Tests.Pki.Support;

/// <summary>PKCS#10 requests as an agent, or an attacker, would send them.</summary>
internal static class TestCsr
{
    public static string For(AsymmetricAlgorithm key, string subject = "CN=requester", IEnumerable<string>? dnsNames = null,
        IEnumerable<IPAddress>? ipAddresses = null, bool askForCa = false, IEnumerable<string>? extendedKeyUsageOids = null) =>
        For(key, new X500DistinguishedName(subject), dnsNames, ipAddresses, askForCa, extendedKeyUsageOids);

    public static string For(AsymmetricAlgorithm key, X500DistinguishedName name, IEnumerable<string>? dnsNames = null,
        IEnumerable<IPAddress>? ipAddresses = null, bool askForCa = false, IEnumerable<string>? extendedKeyUsageOids = null)
    {
        var request = key switch
        {
            ECDsa ecdsa => new CertificateRequest(name, ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
        var dns = dnsNames?.ToList() ?? [];
        var ips = ipAddresses?.ToList() ?? [];
        if (dns.Count + ips.Count > 0)
        {
            var sans = new SubjectAlternativeNameBuilder();
            dns.ForEach(sans.AddDnsName);
            ips.ForEach(sans.AddIpAddress);
            request.CertificateExtensions.Add(sans.Build());
        }
        if (askForCa) request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        if (extendedKeyUsageOids is not null)
        {
            var oids = new OidCollection();
            foreach (var oid in extendedKeyUsageOids) oids.Add(new Oid(oid));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(oids, false));
        }
        return request.CreateSigningRequestPem();
    }

    public static byte[] Decode(string pem)
    {
        var fields = PemEncoding.Find(pem);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    public static string Encode(byte[] der) => PemEncoding.WriteString("CERTIFICATE REQUEST", der);

    /// <summary>The request with its first occurrence of <paramref name="from"/> replaced: the signature no longer matches.</summary>
    public static string Replace(string pem, string from, string to)
    {
        Assert.Equal(from.Length, to.Length);
        var der = Decode(pem);
        var needle = System.Text.Encoding.ASCII.GetBytes(from);
        var at = der.AsSpan().IndexOf(needle);
        Assert.True(at >= 0, $"'{from}' is not in the request");
        System.Text.Encoding.ASCII.GetBytes(to).CopyTo(der, at);
        return Encode(der);
    }

    /// <summary>The request with the last byte of its signature changed.</summary>
    public static string FlipLastSignatureByte(string pem)
    {
        var der = Decode(pem);
        der[^1] ^= 0x01;
        return Encode(der);
    }
}
