using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Agent.Tls;

/// <summary>
/// Trusts a TLS server only through one root CA: either a CA certificate the agent holds (etcd), or one the
/// server presents whose DER SHA-256 equals a pin (the coordinator, like kubeadm's discovery hash). The
/// system's trust store plays no part. With a pin, the CA is shared with other servers (the Kubernetes CA
/// also signs kube-apiserver, which answers on controllers' addresses and 127.0.0.1), so the server must
/// also prove it is the coordinator: its certificate's only common name and the serverAuth usage.
/// </summary>
public sealed class PinnedRootValidator
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string CommonNameOid = "2.5.4.3";

    private readonly byte[]? _pin;
    private readonly X509Certificate2? _root;
    private readonly string? _serverCommonName;

    private PinnedRootValidator(byte[]? pin, X509Certificate2? root, string? serverCommonName)
    {
        _pin = pin;
        _root = root;
        _serverCommonName = serverCommonName;
    }

    /// <summary>The last refusal, for an error that says which CA the server offered.</summary>
    public string? LastFailure { get; private set; }

    /// <param name="serverCommonName">The one common name the server's certificate must carry.</param>
    /// <param name="knownCa">The pinned CA when the agent holds it (checked against the pin); otherwise it must be in the chain the server sends.</param>
    public static PinnedRootValidator ForPin(byte[] sha256OfCaDer, string serverCommonName, X509Certificate2? knownCa = null) =>
        new(sha256OfCaDer, knownCa is not null && SHA256.HashData(knownCa.RawData).AsSpan().SequenceEqual(sha256OfCaDer) ? knownCa : null,
            serverCommonName);

    public static PinnedRootValidator ForRoot(X509Certificate2 root) => new(null, root, null);

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return Refuse("the server presented no certificate");
        }

        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return Refuse($"the server certificate '{certificate.Subject}' does not name the address the agent connected to ({errors})");
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var offered = new X509Certificate2Collection();
        if (presented is not null)
        {
            offered.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements)
            {
                offered.Add(element.Certificate);
            }
        }

        var root = _root ?? FindPinnedRoot(offered);
        if (root is null)
        {
            var seen = string.Join(", ", offered.Where(IsSelfSigned).Select(c => CaDescription(c)).Distinct());
            return Refuse($"no certificate the server presented is the pinned CA sha256:{Convert.ToHexStringLower(_pin!)}" +
                          (seen.Length > 0 ? $"; it offered {seen}" : "; it sent no CA certificate in its chain") +
                          " (a server that does not send its root needs the CA in agent.json's coordinatorCa)");
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(offered);
        if (!chain.Build(leaf))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            return Refuse($"the server certificate '{leaf.Subject}' does not chain to {CaDescription(root)}: {status}");
        }

        if (_serverCommonName is not null && !IsServer(leaf, _serverCommonName))
        {
            return Refuse($"the server certificate '{leaf.Subject}' is signed by the pinned CA but is not the coordinator's " +
                          $"(it must carry CN={_serverCommonName} alone and the serverAuth usage): another server of the " +
                          "cluster answers at this address; check the coordinator address in agent.json");
        }

        LastFailure = null;
        return true;
    }

    private static bool IsServer(X509Certificate2 leaf, string commonName)
    {
        var commonNames = leaf.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(name => name.GetSingleElementType().Value == CommonNameOid)
            .Select(name => name.GetSingleElementValue())
            .ToList();
        var usages = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault()?.EnhancedKeyUsages;
        return commonNames is [var only] && only == commonName
               && usages is not null && usages.Cast<Oid>().Any(usage => usage.Value == ServerAuthOid);
    }

    private X509Certificate2? FindPinnedRoot(X509Certificate2Collection offered) =>
        offered.FirstOrDefault(c => IsSelfSigned(c) && CryptographicOperations.FixedTimeEquals(SHA256.HashData(c.RawData), _pin));

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    private static string CaDescription(X509Certificate2 certificate) =>
        $"'{certificate.Subject}' (sha256:{Convert.ToHexStringLower(SHA256.HashData(certificate.RawData))})";

    private bool Refuse(string reason)
    {
        LastFailure = reason;
        return false;
    }
}
