using Kubes.Controller.Spec;

namespace Kubes.Controller.Pki;

/// <summary>
/// The key pair that signs service-account tokens: kube-apiserver gets the private key
/// (--service-account-signing-key-file) and the public key (--service-account-key-file), kube-controller-manager
/// the private key (--service-account-private-key-file).
/// </summary>
/// <remarks>
/// Always RSA (2048, or 4096 when the spec asks for RSA 4096): tokens are then RS256, the one JWS algorithm every
/// consumer of service-account tokens and of the issuer's OIDC discovery document accepts.
/// </remarks>
public sealed class ServiceAccountKeyPair : IDisposable
{
    internal ServiceAccountKeyPair(SigningKey key)
    {
        if (!key.IsRsa) throw new ArgumentException("the service-account signing key must be RSA", nameof(key));
        Key = key;
    }

    internal SigningKey Key { get; }

    /// <summary>SubjectPublicKeyInfo, PEM ("PUBLIC KEY").</summary>
    public string PublicKeyPem => Key.ExportPublicKeyPem();

    /// <summary>
    /// Unencrypted PKCS#8, PEM ("PRIVATE KEY"): only for delivery to controllers over the authenticated agent
    /// channel. Never write it to the operator's disk; <see cref="Store.PkiFileSet"/> stores it encrypted.
    /// </summary>
    public string PrivateKeyPem => Key.ExportPrivateKeyPem();

    public string KeyDescription => Key.Description;

    public static ServiceAccountKeyPair Create(PkiSpec spec) => new(SigningKey.Generate(AlgorithmFor(spec)));

    /// <summary>RSA 4096 when the spec asks for it, else RSA 2048 (see the remarks).</summary>
    public static KeyAlgorithm AlgorithmFor(PkiSpec spec) =>
        spec.KeyAlgorithm == KeyAlgorithm.Rsa4096 ? KeyAlgorithm.Rsa4096 : KeyAlgorithm.Rsa2048;

    public void Dispose() => Key.Dispose();
}
