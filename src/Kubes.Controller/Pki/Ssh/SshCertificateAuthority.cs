using System.Security.Cryptography;
using Kubes.Controller.Spec;
using Kubes.Protos.Ssh;

namespace Kubes.Controller.Pki.Ssh;

/// <summary>The SSH CA's two keys: one certifies hosts, the other users; neither can stand for the other.</summary>
public enum SshCertificateAuthorityKind { Host, User }

public static class SshCertificateAuthorityKindNames
{
    /// <summary>ssh-host, ssh-user: used in key comments and file names.</summary>
    public static string Slug(this SshCertificateAuthorityKind kind) => kind switch
    {
        SshCertificateAuthorityKind.Host => "ssh-host",
        SshCertificateAuthorityKind.User => "ssh-user",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static SshCertificateType CertificateType(this SshCertificateAuthorityKind kind) =>
        kind == SshCertificateAuthorityKind.Host ? SshCertificateType.Host : SshCertificateType.User;
}

/// <summary>
/// One key of the cluster's SSH CA: an ECDSA P-256 key (ecdsa-sha2-nistp256, which every OpenSSH since 5.7 verifies),
/// kept in memory and written only encrypted like the X.509 CAs' keys. It signs OpenSSH certificates in-process: the
/// format is a handful of length-prefixed fields (<see cref="SshCertificate"/>), so no ssh-keygen and no key file is
/// needed. .NET has no Ed25519; P-256 CA keys certify the instances' ed25519 host keys all the same.
/// </summary>
public sealed class SshCertificateAuthority : IDisposable
{
    private SshCertificateAuthority(SshCertificateAuthorityKind kind, SshPublicKey publicKey, SigningKey key)
    {
        Kind = kind;
        PublicKey = publicKey;
        Key = key;
    }

    public SshCertificateAuthorityKind Kind { get; }

    /// <summary>The CA's public key as OpenSSH writes it, with the comment <c>kubes-&lt;cluster&gt;-ssh-host-ca</c>.</summary>
    public SshPublicKey PublicKey { get; }

    internal SigningKey Key { get; }

    public static string CommentFor(string clusterName, SshCertificateAuthorityKind kind) => $"kubes-{clusterName}-{kind.Slug()}-ca";

    public static SshCertificateAuthority Create(string clusterName, SshCertificateAuthorityKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterName);
        var key = SigningKey.Generate(KeyAlgorithm.EcdsaP256);
        return new SshCertificateAuthority(kind, SshPublicKey.FromEcdsa((ECDsa)key.Key, CommentFor(clusterName, kind)), key);
    }

    /// <summary>
    /// Rebuilds a CA from its stored public key line and its key (decrypted now or on first use); checks that they belong
    /// together by the key's public half, which a key decrypted on first use knows without decrypting.
    /// </summary>
    internal static SshCertificateAuthority Restore(SshCertificateAuthorityKind kind, SshPublicKey publicKey, SigningKey key)
    {
        using var expected = publicKey.ToEcdsa();
        if (!key.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(expected.ExportSubjectPublicKeyInfo()))
            throw new CryptographicException($"the {kind.Slug()} CA key does not belong to its public key");
        return new SshCertificateAuthority(kind, publicKey, key);
    }

    /// <summary>
    /// A certificate of <paramref name="subject"/> of this CA's type, for exactly these principals, from
    /// <paramref name="validAfter"/> (set back by <see cref="CertificateAuthority.ClockSkewAllowance"/>) to
    /// <paramref name="validBefore"/>, with a random serial and nonce.
    /// </summary>
    public SshCertificate Sign(SshPublicKey subject, string keyId, IReadOnlyList<string> principals, DateTimeOffset validAfter,
        DateTimeOffset validBefore, IReadOnlyList<string>? extensions = null)
    {
        if (principals.Count == 0)
            throw new ArgumentException("a certificate without principals is valid for every name or user: Kubes never signs one",
                nameof(principals));
        if (validBefore <= validAfter) throw new ArgumentException("the certificate would never be valid", nameof(validBefore));
        if (Kind == SshCertificateAuthorityKind.Host && extensions is { Count: > 0 })
            throw new ArgumentException("host certificates carry no extensions", nameof(extensions));

        var unsigned = new SshCertificate
        {
            Key = subject,
            Nonce = RandomNumberGenerator.GetBytes(32),
            Serial = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) | 1,
            Type = Kind.CertificateType(),
            KeyId = keyId,
            Principals = [.. principals],
            ValidAfter = WholeSeconds(validAfter - CertificateAuthority.ClockSkewAllowance),
            ValidBefore = WholeSeconds(validBefore),
            Extensions = [.. (extensions ?? []).Order(StringComparer.Ordinal)],
            SignatureKey = PublicKey.WithComment(""),
        };
        var ecdsa = (ECDsa)Key.Key;
        byte[] signature;
        lock (Key.SigningLock)
        {
            signature = ecdsa.SignData(unsigned.ToBeSigned(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        return unsigned with { Signature = SshCertificate.EcdsaSignatureBlob(signature) };
    }

    /// <summary>The certificate carries seconds: what it returns says what it encodes (and what a record keeps).</summary>
    private static DateTimeOffset WholeSeconds(DateTimeOffset time) =>
        time == DateTimeOffset.MaxValue ? time : DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    public void Dispose() => Key.Dispose();
}
