using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Bench.Serve;

/// <summary>
/// The simulated agents' trust in the coordinator: its certificate must chain to the cluster's Kubernetes CA. Each real
/// agent builds that chain once, on its own machine; the crowd's agents share one process, so a certificate found
/// trusted (by the SHA-256 of its DER) is not built again, and the crowd's CPU is not spent 500 times on one verdict.
/// </summary>
public sealed class CoordinatorTrust(X509Certificate2 ca)
{
    private readonly ConcurrentDictionary<string, bool> _trusted = new(StringComparer.Ordinal);

    public RemoteCertificateValidationCallback Callback => (_, certificate, _, errors) =>
        certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None &&
        Trusts(certificate.GetRawCertData());

    private bool Trusts(byte[] der) =>
        _trusted.ContainsKey(Convert.ToHexString(SHA256.HashData(der))) || Build(der);

    private bool Build(byte[] der)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(der);
        if (!chain.Build(leaf)) return false;
        _trusted[Convert.ToHexString(SHA256.HashData(der))] = true;
        return true;
    }
}
