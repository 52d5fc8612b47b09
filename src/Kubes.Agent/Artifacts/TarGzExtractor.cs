using System.Formats.Tar;
using System.IO.Compression;

namespace Kubes.Agent.Artifacts;

/// <summary>Unpacks a .tar.gz into a fresh folder; entries that would land outside it are refused by the reader.</summary>
public static class TarGzExtractor
{
    public static async Task ExtractAsync(string archive, string directory, CancellationToken cancellationToken)
    {
        var staging = directory + ".unpacking";
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        Directory.CreateDirectory(staging);
        await using (var file = File.OpenRead(archive))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        {
            await TarFile.ExtractToDirectoryAsync(gzip, staging, overwriteFiles: false, cancellationToken);
        }

        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.Move(staging, directory);
    }
}
