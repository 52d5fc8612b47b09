using System.Security.Cryptography;

namespace Kubes.Agent.Channels;

/// <summary>
/// A ULID-shaped id: 48 bits of milliseconds since the epoch then 80 random bits, in Crockford base32
/// (26 characters), so that object keys list in the order they were made.
/// </summary>
public static class SortableId
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var milliseconds = (ulong)now.ToUnixTimeMilliseconds();
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return Encode(bytes);
    }

    /// <summary>128 bits as 26 base32 digits, most significant first (the first digit carries 3 bits).</summary>
    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        Span<char> text = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(text);
    }
}
