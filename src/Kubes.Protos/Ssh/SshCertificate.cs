using System.Security.Cryptography;

namespace Kubes.Protos.Ssh;

/// <summary>Whom an OpenSSH certificate is for: a user logging in, or a host proving who it is.</summary>
public enum SshCertificateType : uint { User = 1, Host = 2 }

/// <summary>
/// An OpenSSH certificate (PROTOCOL.certkeys): a public key with a serial, a type, a key id, the principals it is valid
/// for, a validity interval, critical options and extensions, signed by a CA key. Kubes writes certificates of ssh-ed25519
/// and ecdsa-sha2-nistp256 keys, signed by ecdsa-sha2-nistp256 CA keys; <see cref="Parse"/> reads them back (the agent
/// checks the host certificate it holds; tests read what the coordinator signed).
/// </summary>
public sealed record SshCertificate
{
    /// <summary>valid_before of a certificate that never expires; Kubes never issues one.</summary>
    public const ulong Forever = ulong.MaxValue;

    public required SshPublicKey Key { get; init; }
    public required ulong Serial { get; init; }
    public required SshCertificateType Type { get; init; }
    public required string KeyId { get; init; }
    public required IReadOnlyList<string> Principals { get; init; }
    public required DateTimeOffset ValidAfter { get; init; }
    public required DateTimeOffset ValidBefore { get; init; }
    /// <summary>Names only: Kubes sets no critical option that carries data, and no extension does.</summary>
    public IReadOnlyList<string> CriticalOptions { get; init; } = [];
    /// <summary>Sorted by name, as OpenSSH requires.</summary>
    public IReadOnlyList<string> Extensions { get; init; } = [];
    public required SshPublicKey SignatureKey { get; init; }
    public byte[] Nonce { get; init; } = [];
    /// <summary>The signature blob (algorithm name and signature); empty until signed.</summary>
    public byte[] Signature { get; init; } = [];

    /// <summary><c>ssh-ed25519-cert-v01@openssh.com</c>, <c>ecdsa-sha2-nistp256-cert-v01@openssh.com</c>.</summary>
    public string Algorithm => CertificateAlgorithmOf(Key.Algorithm);

    public static string CertificateAlgorithmOf(string keyAlgorithm) => $"{keyAlgorithm}-cert-v01@openssh.com";

    /// <summary>Everything the CA signs: the certificate's encoding up to, not including, its signature.</summary>
    public byte[] ToBeSigned()
    {
        if (Nonce.Length == 0) throw new InvalidOperationException("a certificate needs a nonce before it is signed");
        var writer = new SshWriter().String(Algorithm).String(Nonce);
        // The key's own fields, without its algorithm name (which the certificate's algorithm already carries).
        var key = new SshReader(Key.Blob);
        key.Text();
        switch (Key.Algorithm)
        {
            case SshPublicKey.Ed25519:
                writer.String(key.String());
                break;
            case SshPublicKey.EcdsaP256:
                writer.String(key.String()).String(key.String());
                break;
            default:
                throw new InvalidOperationException($"Kubes does not certify {Key.Algorithm} keys");
        }
        return writer.UInt64(Serial).UInt32((uint)Type).String(KeyId).Strings(Principals)
            .UInt64(Seconds(ValidAfter)).UInt64(Seconds(ValidBefore))
            .String(Pairs(CriticalOptions)).String(Pairs(Extensions))
            .String([]) // reserved
            .String(SignatureKey.Blob)
            .ToArray();
    }

    /// <summary>The whole certificate blob, signature included.</summary>
    public byte[] ToBlob()
    {
        if (Signature.Length == 0) throw new InvalidOperationException("the certificate is not signed");
        return [.. ToBeSigned(), .. new SshWriter().String(Signature).ToArray()];
    }

    /// <summary>A line of a <c>*-cert.pub</c> file.</summary>
    public string ToLine(string comment = "") =>
        comment.Length == 0 ? $"{Algorithm} {Convert.ToBase64String(ToBlob())}" : $"{Algorithm} {Convert.ToBase64String(ToBlob())} {comment}";

    /// <summary>Whether an ecdsa-sha2-nistp256 CA signature verifies over the certificate with its own signature key.</summary>
    public bool HasValidSignature()
    {
        if (SignatureKey.Algorithm != SshPublicKey.EcdsaP256 || Signature.Length == 0) return false;
        try
        {
            var signature = new SshReader(Signature);
            if (signature.Text() != SshPublicKey.EcdsaP256) return false;
            var values = new SshReader(signature.String());
            var r = Fixed(values.String());
            var s = Fixed(values.String());
            using var key = SignatureKey.ToEcdsa();
            byte[] rs = [.. r, .. s];
            return key.VerifyData(ToBeSigned(), rs, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>An ECDSA P-256 signature (r and s, 32 bytes each) as the certificate's signature blob.</summary>
    public static byte[] EcdsaSignatureBlob(ReadOnlySpan<byte> ieeeP1363)
    {
        if (ieeeP1363.Length != 64) throw new ArgumentException("a P-256 signature is 64 bytes (r and s)", nameof(ieeeP1363));
        var values = new SshWriter().Mpint(ieeeP1363[..32]).Mpint(ieeeP1363[32..]).ToArray();
        return new SshWriter().String(SshPublicKey.EcdsaP256).String(values).ToArray();
    }

    /// <exception cref="FormatException">Not a certificate line of a key type Kubes certifies.</exception>
    public static SshCertificate Parse(string line)
    {
        var parts = line.Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new FormatException("an OpenSSH certificate is '<type>-cert-v01@openssh.com <base64> [comment]'");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new FormatException("the certificate's second field is not base64");
        }
        var certificate = FromBlob(blob);
        if (certificate.Algorithm != parts[0])
            throw new FormatException($"the line says {parts[0]}, but its blob holds a {certificate.Algorithm}");
        return certificate;
    }

    public static SshCertificate FromBlob(byte[] blob)
    {
        var reader = new SshReader(blob);
        var algorithm = reader.Text();
        var nonce = reader.String();
        SshPublicKey key = algorithm switch
        {
            _ when algorithm == CertificateAlgorithmOf(SshPublicKey.Ed25519) =>
                SshPublicKey.FromBlob(new SshWriter().String(SshPublicKey.Ed25519).String(reader.String()).ToArray()),
            _ when algorithm == CertificateAlgorithmOf(SshPublicKey.EcdsaP256) =>
                SshPublicKey.FromBlob(new SshWriter().String(SshPublicKey.EcdsaP256).String(reader.String()).String(reader.String()).ToArray()),
            _ => throw new FormatException($"{algorithm} certificates are not ones Kubes reads"),
        };
        var serial = reader.UInt64();
        var type = reader.UInt32();
        if (type is not ((uint)SshCertificateType.User or (uint)SshCertificateType.Host))
            throw new FormatException($"certificate type {type} is neither user (1) nor host (2)");
        var keyId = reader.Text();
        var principals = reader.Strings();
        var validAfter = reader.UInt64();
        var validBefore = reader.UInt64();
        var critical = reader.Pairs().Select(p => p.Key).ToList();
        var extensions = reader.Pairs().Select(p => p.Key).ToList();
        reader.String(); // reserved
        var signatureKey = SshPublicKey.FromBlob(reader.String());
        var signature = reader.String();
        reader.ExpectEnd("the certificate");
        return new SshCertificate
        {
            Key = key,
            Nonce = nonce,
            Serial = serial,
            Type = (SshCertificateType)type,
            KeyId = keyId,
            Principals = principals,
            ValidAfter = Time(validAfter),
            ValidBefore = Time(validBefore),
            CriticalOptions = critical,
            Extensions = extensions,
            SignatureKey = signatureKey,
            Signature = signature,
        };
    }

    private static byte[] Pairs(IReadOnlyList<string> names)
    {
        var writer = new SshWriter();
        foreach (var name in names)
        {
            writer.String(name).String([]);
        }
        return writer.ToArray();
    }

    private static ulong Seconds(DateTimeOffset time) => time == DateTimeOffset.MaxValue ? Forever : (ulong)time.ToUnixTimeSeconds();

    private static DateTimeOffset Time(ulong seconds) =>
        seconds >= (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds((long)seconds);

    /// <summary>An mpint's magnitude as 32 bytes.</summary>
    private static byte[] Fixed(byte[] mpint)
    {
        var magnitude = mpint.AsSpan().TrimStart((byte)0);
        if (magnitude.Length > 32) throw new FormatException("a P-256 signature value is longer than 32 bytes");
        var fixedValue = new byte[32];
        magnitude.CopyTo(fixedValue.AsSpan(32 - magnitude.Length));
        return fixedValue;
    }
}
