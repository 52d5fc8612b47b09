using System.Security.Cryptography;
using System.Text;

namespace Kubes.Controller.Pki.Store;

/// <summary>
/// A secret that is not a private key (the cluster's Secret encryption keys), sealed under the operator's CA passphrase
/// as the CA keys are: a key derived with PBKDF2-HMAC-SHA256 (<see cref="CaPassphrase.Pbkdf2Iterations"/> iterations, a
/// fresh salt) encrypts it with AES-256-GCM (a fresh nonce), which also detects any change to the sealed text.
/// </summary>
public static class PassphraseSeal
{
    public const string Header = "kubes-sealed-v1";
    private const int SaltBytes = 16;
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private const int KeyBytes = 32;

    public static string Seal(ReadOnlySpan<byte> secret, CaPassphrase passphrase)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[secret.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(Derive(passphrase, salt), TagBytes))
        {
            aes.Encrypt(nonce, secret, sealedBytes, tag, Encoding.ASCII.GetBytes(Header));
        }

        return $"{Header}\n{Convert.ToBase64String([.. salt, .. nonce, .. tag, .. sealedBytes])}\n";
    }

    /// <exception cref="PkiStoreException">Not sealed text, altered, or sealed under another passphrase.</exception>
    public static byte[] Open(string text, CaPassphrase passphrase, string location)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        byte[] blob;
        try
        {
            blob = lines.Length == 2 && lines[0] == Header ? Convert.FromBase64String(lines[1]) : [];
        }
        catch (FormatException)
        {
            blob = [];
        }

        if (blob.Length < SaltBytes + NonceBytes + TagBytes)
            throw new PkiStoreException($"{location} is not a secret Kubes sealed ({Header}); restore it from the state store's versions");
        var salt = blob.AsSpan(0, SaltBytes);
        var nonce = blob.AsSpan(SaltBytes, NonceBytes);
        var tag = blob.AsSpan(SaltBytes + NonceBytes, TagBytes);
        var sealedBytes = blob.AsSpan(SaltBytes + NonceBytes + TagBytes);
        var secret = new byte[sealedBytes.Length];
        try
        {
            using var aes = new AesGcm(Derive(passphrase, salt.ToArray()), TagBytes);
            aes.Decrypt(nonce, sealedBytes, tag, secret, Encoding.ASCII.GetBytes(Header));
            return secret;
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new PkiStoreException(
                $"{location} does not open with the CA passphrase: it was sealed under another one ({CaPassphrase.EnvironmentVariable} "
                + "differs from the one the cluster was made with) or altered; set the cluster's passphrase, or restore the file", e);
        }
    }

    private static byte[] Derive(CaPassphrase passphrase, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(passphrase.Value, salt, CaPassphrase.Pbkdf2Iterations, HashAlgorithmName.SHA256, KeyBytes);
}
