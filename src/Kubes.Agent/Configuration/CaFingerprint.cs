using System.Security.Cryptography;

namespace Kubes.Agent.Configuration;

/// <summary>The <c>sha256:&lt;hex&gt;</c> pin of a CA certificate's DER bytes, as kubeadm's discovery hash pins a CA.</summary>
public static class CaFingerprint
{
    private const string Prefix = "sha256:";

    public static bool TryParse(string? text, out byte[] digest)
    {
        digest = [];
        if (text is null || !text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || text.Length != Prefix.Length + 64)
        {
            return false;
        }

        try
        {
            digest = Convert.FromHexString(text.AsSpan(Prefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string Of(ReadOnlySpan<byte> der) => Prefix + Convert.ToHexStringLower(SHA256.HashData(der));
}
