using System.Formats.Tar;
using System.IO.Compression;

namespace Kubes.Controller.Artifacts;

/// <summary>Whether a file holds what its catalogue entry says (an archive its programs), before it is pinned.</summary>
public static class ArtifactLayoutCheck
{
    /// <summary>What is wrong with <paramref name="content"/> as this entry's file at this version, or null.</summary>
    public static string? ProblemWith(CatalogueEntry entry, string version, string arch, byte[] content)
    {
        if (content.Length == 0) return "the file is empty";
        if (entry.Layout.Packing == ArtifactPacking.Program) return null;
        var folder = CatalogueEntry.Expand(entry.Layout.Folder, version, arch);
        var expected = entry.Layout.Programs.Select(p => folder.Length == 0 ? p : $"{folder}/{p}").ToHashSet(StringComparer.Ordinal);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } item)
            {
                if (item.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    expected.Remove(item.Name.StartsWith("./", StringComparison.Ordinal) ? item.Name[2..] : item.Name);
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            return $"the file is not a gzip'd tar ({e.Message})";
        }
        return expected.Count == 0 ? null : $"the archive lacks {string.Join(", ", expected.Order(StringComparer.Ordinal))}";
    }
}
