using System.Security;
using System.Text;
using YamlDotNet.Core;
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
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxFileBytes)
                return FileProblem(path, $"is {info.Length} bytes; a cluster spec is at most {MaxFileBytes} bytes");
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SecurityException or ArgumentException
                                      or NotSupportedException)
        {
            return FileProblem(path, $"cannot be read: {e.Message}");
        }
        return Load(text, path);
    }

    public static SpecLoadResult Load(string yaml, string sourceName)
    {
        var scan = YamlEventScan.Scan(yaml);
        if (scan.Problems.Count > 0) return SpecLoadResult.Invalid(sourceName, scan.Problems);
        if (scan.Documents == 0)
            return FileProblem(sourceName, "is empty; write a spec with 'kubes init --name NAME > cluster.yaml'");
        if (scan.Documents > 1)
        {
            var second = scan.SecondDocument!.Value;
            return SpecLoadResult.Invalid(sourceName, [new SpecProblem("", (int)second.Line, (int)second.Column,
                $"holds {scan.Documents} YAML documents; a spec file holds one cluster, in one document")]);
        }

        var stream = new YamlStream();
        var parser = new Parser(new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (Exception e) when (YamlEventScan.IsReaderFailure(e))
        {
            return SpecLoadResult.Invalid(sourceName, [YamlEventScan.ProblemOf(e, parser)]);
        }

        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode mapping)
        {
            return SpecLoadResult.Invalid(sourceName, [new SpecProblem("", (int)root.Start.Line, (int)root.Start.Column,
                $"must be a mapping with apiVersion, kind, metadata and spec; write one with 'kubes init --name NAME'")]);
        }

        var problems = new List<SpecProblem>();
        var locations = new SpecLocations();
        var spec = ClusterSpecMapper.Map(mapping, problems, locations);
        // A field the file got wrong kept its default; checking that default again would only repeat the problem.
        var mapped = problems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(SpecValidator.Validate(spec, locations).Where(p => !mapped.Contains(p.Path)));
        return problems.Count == 0
            ? SpecLoadResult.Valid(sourceName, spec, locations)
            : SpecLoadResult.Invalid(sourceName, problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList(), locations);
    }

    private static SpecLoadResult FileProblem(string sourceName, string message) =>
        SpecLoadResult.Invalid(sourceName, [new SpecProblem("", 0, 0, message)]);
}
