using System.Security.Cryptography;
using System.Text;

namespace Kubes.Controller.Pki.Vpn;

/// <summary>
/// The VPN's tls-crypt key: 2048 random bits in OpenVPN's static key file format, shared by the bastion and every
/// profile. tls-crypt encrypts and authenticates the TLS handshake itself, so the bastion answers nothing to a packet
/// that does not carry it (no handshake for scanners to start, no amplification); it adds to the certificates, it does
/// not replace them. The coordinator makes it once per cluster; it reaches the bastion only in its authenticated role
/// configuration and the operator only inside a profile.
/// </summary>
public static class TlsCryptKey
{
    public const string Begin = "-----BEGIN OpenVPN Static key V1-----";
    public const string End = "-----END OpenVPN Static key V1-----";
    public const int Bytes = 256;

    public static string Generate() => Format(RandomNumberGenerator.GetBytes(Bytes));

    /// <summary>As <c>openvpn --genkey secret</c> writes it: 16 lines of 16 bytes in hex between the markers.</summary>
    public static string Format(ReadOnlySpan<byte> key)
    {
        if (key.Length != Bytes) throw new ArgumentException($"a static key is {Bytes} bytes", nameof(key));
        var text = new StringBuilder("#\n# 2048 bit OpenVPN static key\n#\n").Append(Begin).Append('\n');
        for (var line = 0; line < Bytes / 16; line++) text.Append(Convert.ToHexStringLower(key.Slice(line * 16, 16))).Append('\n');
        return text.Append(End).Append('\n').ToString();
    }

    /// <summary>Whether <paramref name="text"/> is a whole static key file (what a profile or the bastion is given).</summary>
    public static bool IsValid(string text)
    {
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin) return false;
        var hex = string.Concat(text[(begin + Begin.Length)..end].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return hex.Length == Bytes * 2 && hex.All(Uri.IsHexDigit);
    }
}
