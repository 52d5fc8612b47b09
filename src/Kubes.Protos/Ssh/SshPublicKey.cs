using System.Security.Cryptography;

namespace Kubes.Protos.Ssh;

/// <summary>
/// An OpenSSH public key: its algorithm and its wire blob, as in an <c>authorized_keys</c> or <c>*.pub</c> line
/// (<c>ssh-ed25519 AAAA… comment</c>). Only the key types Kubes certifies or signs with are accepted: ssh-ed25519 (host
/// keys made by ssh-keygen on the instances) and ecdsa-sha2-nistp256 (the CAs, and the operator's ephemeral keys).
/// </summary>
public sealed record SshPublicKey
{
    public const string Ed25519 = "ssh-ed25519";
    public const string EcdsaP256 = "ecdsa-sha2-nistp256";
    private const string P256Curve = "nistp256";

    private SshPublicKey(string algorithm, byte[] blob, string comment)
    {
        Algorithm = algorithm;
        Blob = blob;
        Comment = comment;
    }

    public string Algorithm { get; }

    /// <summary>The key's wire encoding, which starts with its algorithm name.</summary>
    public byte[] Blob { get; }

    public string Comment { get; }

    /// <summary>ssh-keygen's fingerprint: <c>SHA256:</c> and the unpadded base64 of the blob's SHA-256.</summary>
    public string Fingerprint => "SHA256:" + Convert.ToBase64String(SHA256.HashData(Blob)).TrimEnd('=');

    /// <summary>A line of an <c>authorized_keys</c> or <c>*.pub</c> file: algorithm, base64 blob, comment if any.</summary>
    public string ToLine() => Comment.Length == 0
        ? $"{Algorithm} {Convert.ToBase64String(Blob)}"
        : $"{Algorithm} {Convert.ToBase64String(Blob)} {Comment}";

    public SshPublicKey WithComment(string comment) => new(Algorithm, Blob, comment);

    public bool SameKeyAs(SshPublicKey other) => Blob.AsSpan().SequenceEqual(other.Blob);

    /// <summary>An ECDSA P-256 key as OpenSSH writes it.</summary>
    public static SshPublicKey FromEcdsa(ECDsa key, string comment = "")
    {
        var point = key.ExportParameters(false);
        if (point.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new ArgumentException("only ECDSA keys on P-256 are written as ecdsa-sha2-nistp256", nameof(key));
        var q = new byte[65];
        q[0] = 4;
        point.Q.X!.CopyTo(q, 1);
        point.Q.Y!.CopyTo(q, 33);
        return new SshPublicKey(EcdsaP256, new SshWriter().String(EcdsaP256).String(P256Curve).String(q).ToArray(), comment);
    }

    /// <exception cref="FormatException">Not a line of an accepted key type, or a blob that does not match it.</exception>
    public static SshPublicKey Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2) throw new FormatException("an OpenSSH public key is '<type> <base64> [comment]'");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new FormatException("the key's second field is not base64");
        }
        return FromBlob(blob, parts[0], parts.Length == 3 ? parts[2] : "");
    }

    /// <summary>A key from its wire blob, checking that it is a whole key of an accepted type.</summary>
    public static SshPublicKey FromBlob(byte[] blob, string? expectedAlgorithm = null, string comment = "")
    {
        var reader = new SshReader(blob);
        var algorithm = reader.Text();
        if (expectedAlgorithm is not null && algorithm != expectedAlgorithm)
            throw new FormatException($"the key says it is {expectedAlgorithm}, but its blob holds a {algorithm} key");
        switch (algorithm)
        {
            case Ed25519:
                if (reader.String().Length != 32) throw new FormatException("an ssh-ed25519 key is 32 bytes");
                break;
            case EcdsaP256:
                if (reader.Text() != P256Curve) throw new FormatException("an ecdsa-sha2-nistp256 key names the curve nistp256");
                var q = reader.String();
                if (q.Length != 65 || q[0] != 4) throw new FormatException("an ecdsa-sha2-nistp256 key is an uncompressed point of 65 bytes");
                break;
            default:
                throw new FormatException($"{algorithm} keys are not accepted; Kubes uses {Ed25519} and {EcdsaP256}");
        }
        reader.ExpectEnd($"the {algorithm} key");
        return new SshPublicKey(algorithm, blob, comment);
    }

    /// <summary>The public point of an ecdsa-sha2-nistp256 key, to verify its signatures.</summary>
    public ECDsa ToEcdsa()
    {
        if (Algorithm != EcdsaP256) throw new InvalidOperationException($"a {Algorithm} key is not an ECDSA key");
        var reader = new SshReader(Blob);
        reader.Text();
        reader.Text();
        var q = reader.String();
        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = q[1..33], Y = q[33..65] },
        });
    }

    public bool Equals(SshPublicKey? other) => other is not null && Algorithm == other.Algorithm && SameKeyAs(other);

    public override int GetHashCode() => HashCode.Combine(Algorithm, Convert.ToBase64String(Blob));
}
