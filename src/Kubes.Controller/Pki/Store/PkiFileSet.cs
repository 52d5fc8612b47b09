using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki.Ssh;
using Kubes.Protos.Ssh;

namespace Kubes.Controller.Pki.Store;

/// <summary>
/// A <see cref="ClusterPki"/> as named texts, the form every <see cref="ICaKeyStore"/> stores: certificates, the
/// service-account public key (PEM) and the SSH CA's public keys (OpenSSH lines) in the clear, every private key as
/// encrypted PKCS#8 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) under the operator's passphrase.
/// </summary>
public static class PkiFileSet
{
    public const string ServiceAccountPublicKeyFile = "sa.pub";
    public const string ServiceAccountPrivateKeyFile = "sa.key";

    public static string CertificateFile(CertificateAuthorityKind kind) => $"{kind.Slug()}-ca.crt";

    public static string PrivateKeyFile(CertificateAuthorityKind kind) => $"{kind.Slug()}-ca.key";

    public static string PublicKeyFile(SshCertificateAuthorityKind kind) => $"{kind.Slug()}-ca.pub";

    public static string PrivateKeyFile(SshCertificateAuthorityKind kind) => $"{kind.Slug()}-ca.key";

    public static IReadOnlyList<string> FileNames { get; } =
    [
        .. Enum.GetValues<CertificateAuthorityKind>().SelectMany(k => new[] { CertificateFile(k), PrivateKeyFile(k) }),
        ServiceAccountPublicKeyFile,
        ServiceAccountPrivateKeyFile,
        .. Enum.GetValues<SshCertificateAuthorityKind>().SelectMany(k => new[] { PublicKeyFile(k), PrivateKeyFile(k) }),
    ];

    /// <summary>The parts a PKI may lack because it was made before they existed (the VPN CA, the SSH CA's two keys): the
    /// file of each part's public half and of its encrypted private key.</summary>
    public static IReadOnlyList<(string PublicFile, string PrivateFile)> AddedParts { get; } =
    [
        (CertificateFile(CertificateAuthorityKind.Vpn), PrivateKeyFile(CertificateAuthorityKind.Vpn)),
        .. Enum.GetValues<SshCertificateAuthorityKind>().Select(k => (PublicKeyFile(k), PrivateKeyFile(k))),
    ];

    public static bool IsPrivateKeyFile(string name) => name.EndsWith(".key", StringComparison.Ordinal);

    public static IReadOnlyDictionary<string, string> Export(ClusterPki pki, CaPassphrase passphrase)
    {
        var files = new Dictionary<string, string>();
        foreach (var ca in pki.Authorities)
        {
            files[CertificateFile(ca.Kind)] = ca.CertificatePem;
            files[PrivateKeyFile(ca.Kind)] = ca.Key.ExportEncryptedPem(passphrase);
        }
        files[ServiceAccountPublicKeyFile] = pki.ServiceAccount.PublicKeyPem;
        files[ServiceAccountPrivateKeyFile] = pki.ServiceAccount.Key.ExportEncryptedPem(passphrase);
        foreach (var ca in pki.SshAuthorities)
        {
            files[PublicKeyFile(ca.Kind)] = ca.PublicKey.ToLine() + "\n";
            files[PrivateKeyFile(ca.Kind)] = ca.Key.ExportEncryptedPem(passphrase);
        }
        return files;
    }

    /// <param name="read">Returns a file's text, or null when it is missing.</param>
    /// <param name="location">Where the files are, for error messages: a folder, an S3 prefix.</param>
    public static async Task<ClusterPki> ImportAsync(Func<string, CancellationToken, Task<string?>> read,
        CaPassphrase passphrase, string location, CancellationToken cancellationToken = default)
    {
        async Task<string> Read(string name) =>
            await read(name, cancellationToken)
            ?? throw new PkiStoreException(
                $"{Path.Combine(location, name)} is missing: {location} does not hold a complete Kubes PKI. Point at "
                + "the folder 'kubes pki init --out' wrote, or restore the file from your backup.");

        var parts = new List<IDisposable>();
        try
        {
            var authorities = new Dictionary<CertificateAuthorityKind, CertificateAuthority>();
            foreach (var kind in Enum.GetValues<CertificateAuthorityKind>())
            {
                var certificate = ParseCertificate(await Read(CertificateFile(kind)), location, CertificateFile(kind));
                parts.Add(certificate);
                var key = Decrypt(await Read(PrivateKeyFile(kind)), passphrase, certificate.PublicKey, location,
                    PrivateKeyFile(kind), CertificateFile(kind));
                parts.Add(key);
                try
                {
                    authorities[kind] = CertificateAuthority.Restore(kind, certificate, key);
                }
                catch (CryptographicException e)
                {
                    throw new PkiStoreException(
                        $"{Path.Combine(location, CertificateFile(kind))}: {e.Message}. The folder was altered; "
                        + "restore it from your backup.", e);
                }
            }

            var serviceAccountPublicKey = ParsePublicKey(await Read(ServiceAccountPublicKeyFile), location);
            var serviceAccountKey = Decrypt(await Read(ServiceAccountPrivateKeyFile), passphrase,
                serviceAccountPublicKey, location, ServiceAccountPrivateKeyFile, ServiceAccountPublicKeyFile);
            parts.Add(serviceAccountKey);

            var ssh = new Dictionary<SshCertificateAuthorityKind, SshCertificateAuthority>();
            foreach (var kind in Enum.GetValues<SshCertificateAuthorityKind>())
            {
                var publicKey = ParseSshPublicKey(await Read(PublicKeyFile(kind)), location, PublicKeyFile(kind));
                var key = Decrypt(await Read(PrivateKeyFile(kind)), passphrase, publicKey.Ecdsa, location,
                    PrivateKeyFile(kind), PublicKeyFile(kind));
                parts.Add(key);
                ssh[kind] = SshCertificateAuthority.Restore(kind, publicKey.Line, key);
            }
            return new ClusterPki(authorities[CertificateAuthorityKind.Etcd],
                authorities[CertificateAuthorityKind.Kubernetes], authorities[CertificateAuthorityKind.FrontProxy],
                authorities[CertificateAuthorityKind.Vpn], new ServiceAccountKeyPair(serviceAccountKey),
                ssh[SshCertificateAuthorityKind.Host], ssh[SshCertificateAuthorityKind.User]);
        }
        catch
        {
            foreach (var part in parts) part.Dispose();
            throw;
        }
    }

    private static X509Certificate2 ParseCertificate(string pem, string location, string name)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            throw new PkiStoreException(
                $"{Path.Combine(location, name)} is not a PEM certificate ({e.Message}); restore it from your backup.", e);
        }
    }

    private static (SshPublicKey Line, PublicKey Ecdsa) ParseSshPublicKey(string text, string location, string name)
    {
        try
        {
            var line = SshPublicKey.Parse(text);
            using var ecdsa = line.ToEcdsa();
            return (line, new PublicKey(ecdsa));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or CryptographicException)
        {
            throw new PkiStoreException(
                $"{Path.Combine(location, name)} is not an ecdsa-sha2-nistp256 public key ({e.Message}); restore it from your backup.", e);
        }
    }

    private static PublicKey ParsePublicKey(string pem, string location)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new PublicKey(rsa);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new PkiStoreException(
                $"{Path.Combine(location, ServiceAccountPublicKeyFile)} is not an RSA public key in PEM ({e.Message}); "
                + "restore it from your backup.", e);
        }
    }

    private static SigningKey Decrypt(string pem, CaPassphrase passphrase, PublicKey expected, string location,
        string name, string publicPart)
    {
        try
        {
            return SigningKey.ImportEncryptedPem(pem, passphrase, expected);
        }
        catch (ArgumentException e)
        {
            throw new PkiStoreException(
                $"{Path.Combine(location, name)} does not belong to {publicPart}: the folder was altered. Restore it "
                + "from your backup.", e);
        }
        catch (CryptographicException e)
        {
            throw new PkiStoreException(
                $"cannot decrypt {Path.Combine(location, name)}: the passphrase is wrong, or the file is damaged. Give "
                + $"the passphrase the PKI was created with (--passphrase-file or {CaPassphrase.EnvironmentVariable}).",
                e);
        }
    }
}
