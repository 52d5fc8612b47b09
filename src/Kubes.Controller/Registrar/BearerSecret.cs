using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Join tokens and agent credentials: a type prefix and 32 random bytes in base64url. Only the
/// SHA-256 of a secret is ever stored.
/// </summary>
internal static class BearerSecret
{
    private const int RandomBytes = 32;
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(RandomBytes);

    public static string Generate(string prefix) =>
        prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    public static bool HasShape(string? secret, string prefix) =>
        secret is not null
        && secret.Length == prefix.Length + EncodedLength
        && secret.StartsWith(prefix, StringComparison.Ordinal)
        && Base64Url.IsValid(secret.AsSpan(prefix.Length));

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(HashOf(secret)),
            Encoding.ASCII.GetBytes(storedHash));
}
