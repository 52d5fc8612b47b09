using System.Text;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Artifacts;

/// <summary>One line of a <c>sha256sum</c> file: the lowercase digest and the file name it is for.</summary>
public sealed record ChecksumLine(int Line, string Sha256, string Name);

/// <summary>A checksum file that is not in the format it should be; the message names the line.</summary>
public sealed class ChecksumFormatException(string message) : Exception(message);

/// <summary>Reads the checksum files projects publish and operators bring, in the <see cref="ChecksumFormat"/>s there are.</summary>
public static partial class ChecksumFile
{
    private const string SignedMessageStart = "-----BEGIN PGP SIGNED MESSAGE-----";
    private const string SignatureStart = "-----BEGIN PGP SIGNATURE-----";

    /// <summary>The digest <paramref name="text"/> gives for <paramref name="fileName"/>.</summary>
    public static string DigestFor(ChecksumFormat format, string text, string fileName)
    {
        if (format == ChecksumFormat.BareDigest) return ParseBareDigest(text);
        var lines = format == ChecksumFormat.ClearSignedSha256Sum ? ParseSums(SignedText(text)) : ParseSums(text);
        var matches = lines.Where(l => NameOf(l.Name) == fileName).Select(l => l.Sha256).Distinct().ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ChecksumFormatException($"has no line for {fileName} (it lists {Listing(lines)})"),
            _ => throw new ChecksumFormatException($"gives {fileName} {matches.Count} different digests"),
        };
    }

    /// <summary>A file that holds one hex digest (surrounding white space allowed) and nothing else.</summary>
    public static string ParseBareDigest(string text)
    {
        var digest = text.Trim();
        return Digest().IsMatch(digest)
            ? digest.ToLowerInvariant()
            : throw new ChecksumFormatException($"must hold one SHA-256 digest (64 hex digits) and nothing else (got '{Excerpt(digest)}')");
    }

    /// <summary>
    /// <c>sha256sum</c> output: "digest, space, space or '*', name" per line (GNU's escaped form, a line starting with a
    /// backslash, too); blank lines are skipped and any other line is an error naming its number.
    /// </summary>
    public static IReadOnlyList<ChecksumLine> ParseSums(string text)
    {
        var result = new List<ChecksumLine>();
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var escaped = line.StartsWith('\\');
            var match = SumLine().Match(escaped ? line[1..] : line);
            if (!match.Success)
                throw new ChecksumFormatException(
                    $"line {number} is not 'SHA256  FILE' as sha256sum writes it (got '{Excerpt(line)}')");
            var name = match.Groups["name"].Value;
            result.Add(new ChecksumLine(number, match.Groups["digest"].Value.ToLowerInvariant(), escaped ? Unescape(name) : name));
        }
        return result;
    }

    /// <summary>
    /// The text an OpenPGP clear-signed message signs (RFC 4880 section 7): after the armor headers, before the
    /// signature, with dash-escaping undone. The signature itself is not checked here.
    /// </summary>
    public static string SignedText(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var start = Array.FindIndex(lines, l => l == SignedMessageStart);
        if (start < 0) throw new ChecksumFormatException($"is not a clear-signed message: no '{SignedMessageStart}' line");
        var body = Array.FindIndex(lines, start + 1, l => l.Length == 0);
        var end = Array.FindIndex(lines, start + 1, l => l == SignatureStart);
        if (body < 0 || end < 0 || end < body)
            throw new ChecksumFormatException($"is not a clear-signed message: its headers or its '{SignatureStart}' line is missing");
        var signed = new StringBuilder();
        foreach (var line in lines[(body + 1)..end]) signed.Append(line.StartsWith("- ", StringComparison.Ordinal) ? line[2..] : line).Append('\n');
        return signed.ToString();
    }

    /// <summary>sha256sum lines for these files, as <c>sha256sum</c> writes them.</summary>
    public static string Write(IEnumerable<(string Name, string Sha256)> files) =>
        string.Concat(files.Select(f => f.Name.Contains('\\') || f.Name.Contains('\n')
            ? $"\\{f.Sha256}  {f.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\n"
            : $"{f.Sha256}  {f.Name}\n"));

    /// <summary>The file name a line gives, without a leading "./".</summary>
    public static string NameOf(string listed) => listed.StartsWith("./", StringComparison.Ordinal) ? listed[2..] : listed;

    private static string Unescape(string name)
    {
        var result = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\' && i + 1 < name.Length && name[i + 1] is '\\' or 'n')
            {
                result.Append(name[i + 1] == 'n' ? '\n' : '\\');
                i++;
            }
            else result.Append(name[i]);
        }
        return result.ToString();
    }

    private static string Listing(IReadOnlyList<ChecksumLine> lines) =>
        lines.Count == 0 ? "no file" : string.Join(", ", lines.Take(5).Select(l => l.Name)) + (lines.Count > 5 ? ", ..." : "");

    private static string Excerpt(string text) => text.Length <= 80 ? text : text[..80] + "...";

    [GeneratedRegex(@"^[0-9A-Fa-f]{64}\z")]
    private static partial Regex Digest();

    [GeneratedRegex(@"^(?<digest>[0-9A-Fa-f]{64}) [ *](?<name>.+)\z")]
    private static partial Regex SumLine();
}
