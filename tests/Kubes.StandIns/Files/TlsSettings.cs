using System.Net.Security;
using System.Security.Authentication;
using Kubes.StandIns.Flags;

namespace Kubes.StandIns.Files;

/// <summary>
/// --tls-min-version and --tls-cipher-suites as a server applies them. Cipher-suite names are Go's (IANA's), refused when
/// unknown as the real components refuse them; like Go, the TLS 1.3 suites stay enabled whatever the list says.
/// Go's VersionTLS10 and VersionTLS11 are served as TLS 1.2 here (.NET on Linux offers nothing older).
/// </summary>
public sealed record TlsSettings(SslProtocols Protocols, CipherSuitesPolicy? CipherSuites)
{
    private static readonly TlsCipherSuite[] Tls13Suites =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    public static TlsSettings From(CommandLine line)
    {
        var protocols = line.Value("tls-min-version") switch
        {
            null or "" or "VersionTLS10" or "VersionTLS11" or "VersionTLS12" => SslProtocols.Tls12 | SslProtocols.Tls13,
            "VersionTLS13" => SslProtocols.Tls13,
            var other => throw new StandInException(
                $"--tls-min-version {other}: unknown TLS version (VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13)"),
        };
        if (line.Items("tls-cipher-suites") is not { Count: > 0 } names) return new(protocols, null);
        var suites = names.Select(name =>
            Enum.TryParse<TlsCipherSuite>(name, out var suite) || Enum.TryParse(name + "_SHA256", out suite)
                ? suite
                : throw new StandInException($"--tls-cipher-suites: unsupported cipher suite {name}")).ToList();
        return new(protocols, new CipherSuitesPolicy(suites.Concat(Tls13Suites).Distinct()));
    }
}
