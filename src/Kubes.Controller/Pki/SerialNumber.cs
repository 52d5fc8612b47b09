using System.Security.Cryptography;

namespace Kubes.Controller.Pki;

/// <summary>Certificate serial numbers: 16 random bytes, positive, with no leading zero byte.</summary>
internal static class SerialNumber
{
    public const int Length = 16;

    public static byte[] NewRandom()
    {
        var serial = RandomNumberGenerator.GetBytes(Length);
        // Clear the sign bit (DER INTEGER is signed) and set the next one so the first byte is never 0x00,
        // which keeps the encoding exactly 16 bytes: 126 random bits remain.
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }
}
