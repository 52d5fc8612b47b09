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
        if (entry.Layout.Packing == ArtifactPacking.Manifest) return ManifestProblem(content);
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

    /// <summary>A manifest is UTF-8 text; whether its objects are the ones Kubes fills in is the add-on's to say when it renders them.</summary>
    private static string? ManifestProblem(byte[] content)
    {
        try
        {
            var text = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
            return text.Contains('\0', StringComparison.Ordinal) ? "the file is not text (it holds a NUL byte)" : null;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return "the file is not UTF-8 text";
        }
    }
}
