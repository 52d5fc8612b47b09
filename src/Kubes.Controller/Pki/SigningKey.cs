using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Pki;

/// <summary>A private key the coordinator signs with: a CA key or the service-account key.</summary>
internal sealed class SigningKey : IDisposable
{
    private readonly Lazy<AsymmetricAlgorithm> _key;
    private readonly PublicKey? _publicKey;

    private SigningKey(AsymmetricAlgorithm key) => _key = new Lazy<AsymmetricAlgorithm>(key);

    private SigningKey(Func<AsymmetricAlgorithm> decrypt, PublicKey publicKey)
    {
        _key = new Lazy<AsymmetricAlgorithm>(decrypt, LazyThreadSafetyMode.ExecutionAndPublication);
        _publicKey = publicKey;
    }

    /// <summary>
    /// A key decrypted when first used for signing or export: its public half (from the certificate beside it) is known
    /// at once; the decryption checks that the private half belongs to it.
    /// </summary>
    public static SigningKey Deferred(Func<AsymmetricAlgorithm> decrypt, PublicKey publicKey) => new(decrypt, publicKey);

    public AsymmetricAlgorithm Key => _key.Value;

    /// <summary>
    /// Held while signing: the registrar signs concurrently, and .NET does not promise that one key object may be
    /// used from several threads at once.
    /// </summary>
    public Lock SigningLock { get; } = new();

    public bool IsRsa => _publicKey is { } known ? known.Oid.Value == KeyOids.Rsa : Key is RSA;

    public PublicKey PublicKey => _publicKey ?? Key switch
    {
        ECDsa ecdsa => new PublicKey(ecdsa),
        RSA rsa => new PublicKey(rsa),
        _ => throw new InvalidOperationException($"unsupported key type {Key.GetType().Name}"),
    };

    /// <summary>Short description for listings: "ECDSA P-256", "RSA 4096".</summary>
    public string Description => IsRsa ? $"RSA {KeySize}" : $"ECDSA P-{KeySize}";

    private int KeySize
    {
        get
        {
            if (_publicKey is null) return Key.KeySize;
            using AsymmetricAlgorithm? key = IsRsa ? _publicKey.GetRSAPublicKey() : _publicKey.GetECDsaPublicKey();
            return key?.KeySize ?? 0;
        }
    }

    public static SigningKey Generate(KeyAlgorithm algorithm) => new(algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyAlgorithm.Rsa2048 => RSA.Create(2048),
        KeyAlgorithm.Rsa4096 => RSA.Create(4096),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    });

    /// <summary>SHA-256 everywhere; RSA signatures use PKCS#1 v1.5, which every TLS stack verifies.</summary>
    /// <remarks>Only the signature itself is made under <see cref="SigningLock"/>: building and encoding the certificate
    /// around it runs in parallel.</remarks>
    public X509SignatureGenerator SignatureGenerator() => new LockedSignatureGenerator(Key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new InvalidOperationException($"unsupported key type {Key.GetType().Name}"),
    }, SigningLock);

    private sealed class LockedSignatureGenerator(X509SignatureGenerator inner, Lock signing) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
            inner.GetSignatureAlgorithmIdentifier(hashAlgorithm);

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
        {
            lock (signing) return inner.SignData(data, hashAlgorithm);
        }

        protected override PublicKey BuildPublicKey() => inner.PublicKey;
    }

    public static HashAlgorithmName HashAlgorithm => HashAlgorithmName.SHA256;

    public string ExportPrivateKeyPem() => Key.ExportPkcs8PrivateKeyPem();

    public string ExportPublicKeyPem() => _publicKey is { } known
        ? PemEncoding.WriteString("PUBLIC KEY", known.ExportSubjectPublicKeyInfo())
        : Key.ExportSubjectPublicKeyInfoPem();

    public string ExportEncryptedPem(CaPassphrase passphrase) =>
        Key.ExportEncryptedPkcs8PrivateKeyPem(passphrase.Value, CaPassphrase.EncryptionParameters);

    /// <summary>
    /// Decrypts an encrypted PKCS#8 key whose public half must be <paramref name="expected"/>. The key type is
    /// taken from the public key (the certificate or sa.pub), so the expensive key derivation runs once.
    /// </summary>
    /// <exception cref="CryptographicException">Wrong passphrase or damaged file.</exception>
    /// <exception cref="ArgumentException">The key decrypts but belongs to another public key.</exception>
    public static SigningKey ImportEncryptedPem(string pem, CaPassphrase passphrase, PublicKey expected)
    {
        AsymmetricAlgorithm key = expected.Oid.Value switch
        {
            KeyOids.EcPublicKey => ECDsa.Create(),
            KeyOids.Rsa => RSA.Create(),
            var other => throw new CryptographicException($"unsupported public key algorithm {other}"),
        };
        try
        {
            try
            {
                key.ImportFromEncryptedPem(pem, passphrase.Value);
            }
            catch (ArgumentException e)
            {
                throw new CryptographicException($"no encrypted private key found ({e.Message})", e);
            }
            if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(expected.ExportSubjectPublicKeyInfo()))
                throw new ArgumentException("the private key does not belong to the public key stored beside it");
            return new SigningKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_key.IsValueCreated) _key.Value.Dispose();
    }
}

/// <summary>The SubjectPublicKeyInfo algorithm identifiers the PKI accepts.</summary>
internal static class KeyOids
{
    public const string EcPublicKey = "1.2.840.10045.2.1";
    public const string Rsa = "1.2.840.113549.1.1.1";
}
