using System.Security.Cryptography;

namespace Kubes.Agent.FileSystem;

public static class FileHash
{
    /// <summary>Lower-case hex SHA-256 of a file's bytes, or null when the file does not exist.</summary>
    public static async Task<string?> Sha256Async(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>A stable digest of a step's inputs, so a changed input makes the step run again.</summary>
    public static string OfInputs(params string?[] inputs)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var input in inputs)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(input ?? "\0null");
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
