using System.Net;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Tests.Pki.Support;

/// <summary>Runs the real openssl binary, so certificates are judged by a second implementation, not only .NET's.</summary>
internal static partial class Openssl
{
    public static HostTool.Result Run(params string[] arguments) => HostTool.Run("openssl", arguments);

    /// <summary><c>openssl verify -CAfile</c> with a purpose (sslserver, sslclient) or none.</summary>
    public static HostTool.Result Verify(TempFolder folder, string caPem, string certificatePem, string? purpose = null)
    {
        var ca = folder.Write($"ca-{Guid.NewGuid():N}.crt", caPem);
        var certificate = folder.Write($"leaf-{Guid.NewGuid():N}.crt", certificatePem);
        return purpose is null
            ? Run("verify", "-CAfile", ca, certificate)
            : Run("verify", "-purpose", purpose, "-CAfile", ca, certificate);
    }

    /// <summary>The certificate as openssl prints it, taken apart.</summary>
    public static CertificateText Text(TempFolder folder, string certificatePem)
    {
        var path = folder.Write($"text-{Guid.NewGuid():N}.crt", certificatePem);
        var result = Run("x509", "-in", path, "-noout", "-text", "-nameopt", "RFC2253");
        Assert.True(result.ExitCode == 0, result.Output);
        return CertificateText.Parse(result.StandardOutput);
    }

    internal sealed partial record CertificateText(
        string Text,
        string Subject,
        string Issuer,
        string SerialHex,
        IReadOnlyList<string> DnsNames,
        IReadOnlyList<IPAddress> IpAddresses,
        IReadOnlyList<string> KeyUsages,
        bool KeyUsageCritical,
        IReadOnlyList<string> ExtendedKeyUsages,
        string BasicConstraints,
        bool BasicConstraintsCritical,
        string? SubjectKeyId,
        string? AuthorityKeyId,
        DateTime NotBefore,
        DateTime NotAfter)
    {
        /// <summary>CN then O, as RFC 2253 prints them (most specific first).</summary>
        public string? CommonName => Attributes("CN").SingleOrDefault();

        public IReadOnlyList<string> Organizations => Attributes("O").Reverse().ToList();

        private IEnumerable<string> Attributes(string type) =>
            Subject.Split(',').Where(p => p.StartsWith(type + "=", StringComparison.Ordinal)).Select(p => p[(type.Length + 1)..]);

        public static CertificateText Parse(string text)
        {
            var lines = text.Split('\n').Select(l => l.Trim()).ToList();
            string? After(string header) => lines.IndexOf(lines.FirstOrDefault(l => l.StartsWith(header, StringComparison.Ordinal)) ?? "\0") is var i and >= 0
                ? lines[i + 1]
                : null;
            bool Critical(string header) =>
                lines.Any(l => l.StartsWith(header, StringComparison.Ordinal) && l.EndsWith("critical", StringComparison.Ordinal));
            IReadOnlyList<string> List(string header) =>
                After(header)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            string Field(string prefix) =>
                lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..].Trim();

            var names = List("X509v3 Subject Alternative Name:");
            return new CertificateText(
                text,
                Field("Subject:"),
                Field("Issuer:"),
                After("Serial Number:")!.Replace(":", "", StringComparison.Ordinal),
                [.. names.Where(n => n.StartsWith("DNS:", StringComparison.Ordinal)).Select(n => n[4..])],
                [.. names.Where(n => n.StartsWith("IP Address:", StringComparison.Ordinal)).Select(n => IPAddress.Parse(n[11..]))],
                List("X509v3 Key Usage:"),
                Critical("X509v3 Key Usage:"),
                List("X509v3 Extended Key Usage:"),
                After("X509v3 Basic Constraints:") ?? "",
                Critical("X509v3 Basic Constraints:"),
                After("X509v3 Subject Key Identifier:"),
                After("X509v3 Authority Key Identifier:")?.Replace("keyid:", "", StringComparison.Ordinal),
                OpensslDate(Field("Not Before:")),
                OpensslDate(Field("Not After :")));
        }

        private static DateTime OpensslDate(string value) =>
            DateTime.ParseExact(Spaces().Replace(value, " "), "MMM d HH:mm:ss yyyy 'GMT'",
                System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

        [GeneratedRegex(" +")]
        private static partial Regex Spaces();
    }
}
