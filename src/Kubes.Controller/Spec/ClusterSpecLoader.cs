using System.Security;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Kubes.Controller.Spec;

/// <summary>
/// Reads cluster.yaml: parses it, maps it onto the defaults and validates it, reporting every problem
/// of the file at once with its field path and line. Never throws for bad input.
/// </summary>
public static class ClusterSpecLoader
{
    /// <summary>A spec is a few kilobytes; a larger file is something else.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    public static SpecLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            if (Directory.Exists(path)) return FileProblem(path, "is a folder, not a spec file");
            if (ReadAtMost(path, MaxFileBytes) is not { } bytes)
                return FileProblem(path, $"is larger than {MaxFileBytes} bytes, the most a cluster spec may be; give -f the cluster.yaml "
                    + "'kubes init' wrote");
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException
                                      or NotSupportedException)
        {
            return FileProblem(path, $"cannot be read: {e.Message}");
        }
        return Load(text, path);
    }

    /// <summary>
    /// The file's bytes, or null when it holds more than <paramref name="limit"/>. Reads at most one byte past the
    /// limit, so a device or pipe that never ends (<c>/dev/zero</c>, a FIFO) is refused rather than read to exhaustion.
    /// </summary>
    private static byte[]? ReadAtMost(string path, int limit)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[limit + 1];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return read > limit ? null : buffer[..read];
    }

    public static SpecLoadResult Load(string yaml, string sourceName)
    {
        var scan = YamlEventScan.Scan(yaml);
        if (scan.Events is null) return SpecLoadResult.Invalid(sourceName, scan.Problems);
        if (scan.Documents == 0)
            return FileProblem(sourceName, "is empty; write a spec with 'kubes init --name NAME > cluster.yaml'");

        // A repeated key or a second document is reported, and the first of each is checked like any other.
        var problems = scan.Problems.ToList();
        if (scan.Documents > 1)
        {
            var second = scan.SecondDocument!.Value;
            problems.Add(new SpecProblem("", (int)second.Line, (int)second.Column,
                $"holds {scan.Documents} YAML documents; a spec file holds one cluster, in one document (the first is checked)"));
        }

        var stream = new YamlStream();
        var events = new ParsingEventReplay(scan.Events);
        try
        {
            stream.Load(events);
        }
        catch (Exception e) when (YamlEventScan.IsReaderFailure(e))
        {
            return Invalid(sourceName, [.. problems, YamlEventScan.ProblemOf(e, events)]);
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            return Invalid(sourceName, [.. problems, new SpecProblem("", (int)root.Start.Line, (int)root.Start.Column,
                $"must be a mapping with apiVersion, kind, metadata and spec; write one with 'kubes init --name NAME'")]);
        }

        var fieldProblems = new List<SpecProblem>();
        var locations = new SpecLocations();
        var spec = ClusterSpecMapper.Map(mapping, fieldProblems, locations);
        // A field the file got wrong kept its default; checking that default again would only repeat the problem.
        var mapped = fieldProblems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        fieldProblems.AddRange(SpecValidator.Validate(spec, locations).Where(p => !mapped.Contains(p.Path)));
        problems.AddRange(fieldProblems);
        return problems.Count == 0 ? SpecLoadResult.Valid(sourceName, spec, locations) : Invalid(sourceName, problems, locations);
    }

    private static SpecLoadResult Invalid(string sourceName, IEnumerable<SpecProblem> problems, SpecLocations? locations = null) =>
        SpecLoadResult.Invalid(sourceName, problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList(), locations);

    private static SpecLoadResult FileProblem(string sourceName, string message) =>
        SpecLoadResult.Invalid(sourceName, [new SpecProblem("", 0, 0, message)]);
}
