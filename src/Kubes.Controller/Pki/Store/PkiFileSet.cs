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
    /// <summary>When <see cref="ImportAsync"/> decrypts the private keys.</summary>
    public enum KeyDecryption { Now, OnFirstUse }

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
        // The key derivation of each encryption dominates and is independent per key: one per core.
        var encrypting = pki.Authorities.Select(ca => (Name: PrivateKeyFile(ca.Kind), ca.Key))
            .Append((Name: ServiceAccountPrivateKeyFile, pki.ServiceAccount.Key))
            .Concat(pki.SshAuthorities.Select(ca => (Name: PrivateKeyFile(ca.Kind), ca.Key)))
            .Select(key => (key.Name, Pem: Task.Run(() => key.Key.ExportEncryptedPem(passphrase))))
            .ToList();
        var encrypted = encrypting.ToDictionary(key => key.Name, key => key.Pem.GetAwaiter().GetResult());
        var files = new Dictionary<string, string>();
        foreach (var ca in pki.Authorities)
        {
            files[CertificateFile(ca.Kind)] = ca.CertificatePem;
            files[PrivateKeyFile(ca.Kind)] = encrypted[PrivateKeyFile(ca.Kind)];
        }
        files[ServiceAccountPublicKeyFile] = pki.ServiceAccount.PublicKeyPem;
        files[ServiceAccountPrivateKeyFile] = encrypted[ServiceAccountPrivateKeyFile];
        foreach (var ca in pki.SshAuthorities)
        {
            files[PublicKeyFile(ca.Kind)] = ca.PublicKey.ToLine() + "\n";
            files[PrivateKeyFile(ca.Kind)] = encrypted[PrivateKeyFile(ca.Kind)];
        }
        return files;
    }

    /// <param name="read">Returns a file's text, or null when it is missing.</param>
    /// <param name="location">Where the files are, for error messages: a folder, an S3 prefix.</param>
    /// <param name="decryption">
    /// When the private keys are decrypted (PBKDF2 with <see cref="CaPassphrase.Pbkdf2Iterations"/> iterations, about half
    /// a second each): <see cref="KeyDecryption.Now"/>, so a wrong passphrase fails the import, or
    /// <see cref="KeyDecryption.OnFirstUse"/>, so a command that signs nothing (a no-op <c>kubes up</c>) never pays it, each
    /// key is decrypted once, when it first signs, and a wrong passphrase fails that signature.
    /// </param>
    public static async Task<ClusterPki> ImportAsync(Func<string, CancellationToken, Task<string?>> read,
        CaPassphrase passphrase, string location, CancellationToken cancellationToken = default,
        KeyDecryption decryption = KeyDecryption.Now)
    {
        async Task<string> Read(string name) =>
            await read(name, cancellationToken)
            ?? throw new PkiStoreException(
                $"{Path.Combine(location, name)} is missing: {location} does not hold a complete Kubes PKI. Point at "
                + "the folder 'kubes pki init --out' wrote, or restore the file from your backup.");

        var kinds = Enum.GetValues<CertificateAuthorityKind>();
        var sshKinds = Enum.GetValues<SshCertificateAuthorityKind>();
        var certificates = new List<X509Certificate2>();
        var keys = new List<SigningKey>();
        try
        {
            var encrypted = new List<EncryptedKey>();
            foreach (var kind in kinds)
            {
                var certificate = ParseCertificate(await Read(CertificateFile(kind)), location, CertificateFile(kind));
                certificates.Add(certificate);
                encrypted.Add(new EncryptedKey(await Read(PrivateKeyFile(kind)), certificate.PublicKey, PrivateKeyFile(kind),
                    CertificateFile(kind)));
            }
            var serviceAccountPublicKey = ParsePublicKey(await Read(ServiceAccountPublicKeyFile), location);
            encrypted.Add(new EncryptedKey(await Read(ServiceAccountPrivateKeyFile), serviceAccountPublicKey,
                ServiceAccountPrivateKeyFile, ServiceAccountPublicKeyFile));
            var sshPublicKeys = new List<SshPublicKey>();
            foreach (var kind in sshKinds)
            {
                var (line, spki) = ParseSshPublicKey(await Read(PublicKeyFile(kind)), location, PublicKeyFile(kind));
                sshPublicKeys.Add(line);
                encrypted.Add(new EncryptedKey(await Read(PrivateKeyFile(kind)), spki, PrivateKeyFile(kind), PublicKeyFile(kind)));
            }

            if (decryption == KeyDecryption.Now)
            {
                keys.AddRange(DecryptAll(encrypted, passphrase, location));
            }
            else
            {
                keys.AddRange(encrypted.Select(key => SigningKey.Deferred(
                    () => Decrypt(key.Pem, passphrase, key.Expected, location, key.Name, key.PublicPart).Key, key.Expected)));
            }

            var authorities = new Dictionary<CertificateAuthorityKind, CertificateAuthority>();
            foreach (var (kind, i) in kinds.Select((kind, i) => (kind, i)))
            {
                try
                {
                    authorities[kind] = CertificateAuthority.Restore(kind, certificates[i], keys[i]);
                }
                catch (CryptographicException e)
                {
                    throw new PkiStoreException(
                        $"{Path.Combine(location, CertificateFile(kind))}: {e.Message}. The folder was altered; "
                        + "restore it from your backup.", e);
                }
            }
            // The keys in the order they were read: the CAs', the service account's, the SSH CA's.
            var ssh = sshKinds.Select((kind, i) =>
                SshCertificateAuthority.Restore(kind, sshPublicKeys[i], keys[kinds.Length + 1 + i])).ToList();
            return new ClusterPki(authorities[CertificateAuthorityKind.Etcd],
                authorities[CertificateAuthorityKind.Kubernetes], authorities[CertificateAuthorityKind.FrontProxy],
                authorities[CertificateAuthorityKind.Vpn], new ServiceAccountKeyPair(keys[kinds.Length]), ssh[0], ssh[1]);
        }
        catch
        {
            foreach (var part in certificates.Cast<IDisposable>().Concat(keys)) part.Dispose();
            throw;
        }
    }

    private sealed record EncryptedKey(string Pem, PublicKey Expected, string Name, string PublicPart);

    /// <summary>Every key at once, one per core: the key derivation dominates and is independent per key.</summary>
    private static SigningKey[] DecryptAll(IReadOnlyList<EncryptedKey> keys, CaPassphrase passphrase, string location)
    {
        var decrypting = keys.Select(key => Task.Run(() => Decrypt(key.Pem, passphrase, key.Expected, location, key.Name, key.PublicPart)))
            .ToArray();
        try
        {
            Task.WaitAll(decrypting);
            return [.. decrypting.Select(task => task.Result)];
        }
        catch (AggregateException e)
        {
            foreach (var done in decrypting.Where(task => task.IsCompletedSuccessfully)) done.Result.Dispose();
            throw e.InnerExceptions.OfType<PkiStoreException>().FirstOrDefault() ?? e.InnerExceptions[0];
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

    private static (SshPublicKey Line, PublicKey Spki) ParseSshPublicKey(string text, string location, string name)
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
