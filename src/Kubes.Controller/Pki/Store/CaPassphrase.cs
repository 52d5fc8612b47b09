using System.Security.Cryptography;

namespace Kubes.Controller.Pki.Store;

/// <summary>The operator's secret that encrypts the CA and service-account private keys at rest.</summary>
public sealed class CaPassphrase
{
    public const string EnvironmentVariable = "KUBES_CA_PASSPHRASE";
    public const int MinimumLength = 12;

    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int Pbkdf2Iterations = 600_000;

    /// <summary>PKCS#8 PBES2: PBKDF2-HMAC-SHA256 key derivation, AES-256-CBC encryption.</summary>
    internal static readonly PbeParameters EncryptionParameters =
        new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, Pbkdf2Iterations);

    private readonly string value;

    private CaPassphrase(string value) => this.value = value;

    internal ReadOnlySpan<char> Value => value;

    /// <exception cref="ArgumentException">Shorter than <see cref="MinimumLength"/> characters.</exception>
    public static CaPassphrase From(string passphrase, string source)
    {
        if (passphrase.Length < MinimumLength)
            throw new ArgumentException(
                $"the CA passphrase from {source} is {passphrase.Length} characters long; use at least {MinimumLength}");
        return new CaPassphrase(passphrase);
    }

    /// <summary>The first line of the file; a trailing newline (as editors and <c>echo</c> write) is not part of it.</summary>
    /// <exception cref="ArgumentException">The file is missing, unreadable or holds a too short passphrase.</exception>
    public static CaPassphrase FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the passphrase file {path}: {e.Message}", e);
        }
        var newline = text.IndexOfAny(['\r', '\n']);
        return From(newline < 0 ? text : text[..newline], path);
    }

    public override string ToString() => "(CA passphrase)";
}
