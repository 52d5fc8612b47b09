using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Addons;

/// <summary>SHA-256 digests, lowercase hex: of one object's apply body, and of a whole set of objects in its order.</summary>
public static class AddonHashes
{
    public static string OfObject(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>Over the ordered (path, json) pairs; each string is length-prefixed so no two different sets can run together
    /// into the same bytes.</summary>
    public static string OfSet(IEnumerable<AddonObject> objects)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var o in objects)
        {
            Append(hash, o.Path);
            Append(hash, o.Json);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
