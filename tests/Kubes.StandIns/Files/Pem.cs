using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.StandIns.Files;

/// <summary>
/// Certificates, keys and CA bundles read from PEM text, each checked as the component that is given them depends on
/// it: certificates parse and are valid now, a key is the private half of its certificate, a CA bundle holds only CA
/// certificates. Every error names where the PEM came from (<c>--flag FILE</c>, or a kubeconfig field).
/// </summary>
public static class Pem
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>A file a flag names, read; refused when it is missing or empty.</summary>
    public static string ReadFile(string where, string path)
    {
        if (!File.Exists(path)) throw new StandInException($"{where}: the file {path} does not exist");
        var text = File.ReadAllText(path);
        if (text.Trim().Length == 0) throw new StandInException($"{where}: the file {path} is empty");
        return text;
    }

    /// <summary>Every CERTIFICATE block, in order (a leaf first, then its intermediates).</summary>
    public static IReadOnlyList<X509Certificate2> Certificates(string where, string pem)
    {
        var certificates = new List<X509Certificate2>();
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            if (label == "CERTIFICATE")
            {
                try
                {
                    certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(rest[fields.Base64Data].ToString())));
                }
                catch (CryptographicException e)
                {
                    throw new StandInException($"{where}: a CERTIFICATE block does not parse as X.509 ({e.Message})");
                }
            }

            rest = rest[fields.Location.End..];
        }

        if (certificates.Count == 0) throw new StandInException($"{where}: holds no PEM CERTIFICATE block");
        foreach (var certificate in certificates) CheckValidNow(where, certificate);
        return certificates;
    }

    /// <summary>An RSA or ECDSA private key (PKCS#8, PKCS#1 or SEC 1 PEM).</summary>
    public static AsymmetricAlgorithm PrivateKey(string where, string pem)
    {
        var label = PemEncoding.TryFind(pem, out var fields) ? pem[fields.Label] : "";
        if (label is not ("PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY"))
            throw new StandInException($"{where}: holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)" +
                                       (label.Length > 0 ? $", its first block is {label}" : ""));
        if (label != "RSA PRIVATE KEY")
        {
            var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportFromPem(pem);
                return ecdsa;
            }
            catch (CryptographicException)
            {
                ecdsa.Dispose();
            }
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new StandInException($"{where}: the {label} block is neither an ECDSA nor an RSA key ({e.Message})");
        }
    }

    /// <summary>The public keys of a service-account key file: PUBLIC KEY, certificates and private keys all count.</summary>
    public static IReadOnlyList<byte[]> PublicKeys(string where, string pem)
    {
        var keys = new List<byte[]>();
        var rest = pem;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var block = rest[fields.Location];
            var label = rest[fields.Label];
            keys.Add(label switch
            {
                "PUBLIC KEY" => Convert.FromBase64String(rest[fields.Base64Data]),
                "RSA PUBLIC KEY" => RsaPublicKey(block),
                "CERTIFICATE" => Certificates(where, block)[0].PublicKey.ExportSubjectPublicKeyInfo(),
                "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY" => PublicKeyOf(PrivateKey(where, block)),
                _ => throw new StandInException($"{where}: a {label} block is not a key"),
            });
            rest = rest[fields.Location.End..];
        }

        if (keys.Count == 0) throw new StandInException($"{where}: holds no PEM key");
        return keys;
    }

    public static byte[] PublicKeyOf(AsymmetricAlgorithm key) => key.ExportSubjectPublicKeyInfo();

    /// <summary>A certificate with its private key, usable to serve or to authenticate as a client.</summary>
    /// <param name="usage">The extended key usage the certificate must allow (<see cref="ServerAuth"/> or <see cref="ClientAuth"/>; null for a CA).</param>
    public static X509Certificate2 CertificateWithKey(string certificateWhere, string certificatePem, string keyWhere, string keyPem, string? usage)
    {
        var chain = Certificates(certificateWhere, certificatePem);
        var leaf = chain[0];
        using var key = PrivateKey(keyWhere, keyPem);
        if (!PublicKeyOf(key).AsSpan().SequenceEqual(leaf.PublicKey.ExportSubjectPublicKeyInfo()))
            throw new StandInException(
                $"{keyWhere} is not the private key of the certificate in {certificateWhere} ({leaf.Subject}): the public keys differ");
        var usages = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault()?.EnhancedKeyUsages;
        if (usage is not null && usages is not null && !usages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == usage))
            throw new StandInException(
                $"{certificateWhere}: the certificate ({leaf.Subject}) does not allow {(usage == ServerAuth ? "server" : "client")} authentication (extended key usage)");
        var withKey = key switch
        {
            ECDsa ecdsa => leaf.CopyWithPrivateKey(ecdsa),
            RSA rsa => leaf.CopyWithPrivateKey(rsa),
            _ => throw new StandInException($"{keyWhere}: unsupported key type"),
        };
        // Through PKCS#12, so that SslStream on Linux can use the key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The CA certificates of a bundle; a bundle with a certificate that is not a CA is refused.</summary>
    public static X509Certificate2Collection CaBundle(string where, string pem)
    {
        var bundle = new X509Certificate2Collection();
        foreach (var certificate in Certificates(where, pem))
        {
            var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
            if (constraints is not { CertificateAuthority: true })
                throw new StandInException($"{where}: {certificate.Subject} is not a CA certificate (no basic constraint CA:TRUE)");
            bundle.Add(certificate);
        }

        return bundle;
    }

    /// <summary>Refuses a certificate (with its intermediates) that does not chain to one of the CAs.</summary>
    public static void CheckSignedBy(string certificateWhere, IReadOnlyList<X509Certificate2> chain, string caWhere,
        X509Certificate2Collection cas)
    {
        if (ChainProblem(chain[0], chain.Skip(1), cas) is { } problem)
            throw new StandInException(
                $"{certificateWhere}: the certificate ({chain[0].Subject}, issued by {chain[0].Issuer}) is not signed by a CA of {caWhere}: {problem}");
    }

    /// <summary>Why the certificate does not chain to one of the CAs, or null when it does.</summary>
    public static string? ChainProblem(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2Collection cas)
    {
        using var builder = new X509Chain { ChainPolicy = TrustOnly(cas) };
        builder.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        if (builder.Build(leaf)) return null;
        return string.Join("; ", builder.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
    }

    /// <summary>A chain policy that trusts these CAs and nothing else (no revocation lists: Kubernetes checks none).</summary>
    public static X509ChainPolicy TrustOnly(X509Certificate2Collection cas)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(cas);
        return policy;
    }

    private static void CheckValidNow(string where, X509Certificate2 certificate)
    {
        var now = DateTime.UtcNow;
        if (certificate.NotAfter.ToUniversalTime() < now)
            throw new StandInException($"{where}: the certificate {certificate.Subject} expired at {certificate.NotAfter.ToUniversalTime():u}");
        if (certificate.NotBefore.ToUniversalTime() > now)
            throw new StandInException($"{where}: the certificate {certificate.Subject} is not valid before {certificate.NotBefore.ToUniversalTime():u}");
    }

    private static byte[] RsaPublicKey(string pem)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa.ExportSubjectPublicKeyInfo();
    }
}
