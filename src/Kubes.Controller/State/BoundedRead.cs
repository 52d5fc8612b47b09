namespace Kubes.Controller.State;

/// <summary>Reads a stream into memory, stopping one byte past the limit so nothing larger is ever buffered whole.</summary>
internal static class BoundedRead
{
    /// <summary>The stream's bytes, or null when it holds more than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxBytes + 1];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0) return buffer[..filled];
            filled += read;
        }
        return null;
    }
}
