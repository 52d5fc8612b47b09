using System.CommandLine;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Cli;

/// <summary>
/// Finds the spec a command works on: the <c>-f</c> file, <c>./cluster.yaml</c>, or with <c>--local</c> and
/// neither, the embedded local default. A file whose provider is local selects the local provider by itself.
/// </summary>
public static class SpecFile
{
    /// <summary>The name problems of the embedded default are reported against.</summary>
    public const string EmbeddedLocalSource = "(embedded local spec)";

    public static SpecLoadResult Resolve(string path, bool fileWasGiven, bool local)
    {
        if (local && !fileWasGiven && !File.Exists(path) && !Directory.Exists(path))
            return Checked(EmbeddedLocalSource, ClusterSpecDefaults.Local());

        if (!fileWasGiven && !File.Exists(path) && !Directory.Exists(path))
        {
            return SpecLoadResult.Invalid(path, [new SpecProblem("", 0, 0,
                "not found; write one with 'kubes init --name NAME > cluster.yaml', pass -f FILE, or use --local for a cluster on this machine")]);
        }

        var result = ClusterSpecLoader.LoadFile(path);
        if (local && result.IsValid && result.Spec.Provider != ProviderKind.Local)
        {
            var (line, column) = result.Locations.Find("spec.provider");
            return SpecLoadResult.Invalid(path, [new SpecProblem("spec.provider", line, column,
                $"is {result.Spec.Provider.ToSpecName()} but --local was given; set 'provider: local' in the file or drop --local")],
                result.Locations);
        }
        return result;
    }

    /// <summary>
    /// Resolves the spec from a command's <c>-f</c> and <c>--local</c> options (either may be absent from the
    /// command). Returns null after writing every problem to <paramref name="stderr"/>; the command then exits
    /// with <see cref="ExitCodes.BadInput"/>.
    /// </summary>
    public static async Task<ClusterSpec?> ResolveAsync(ParseResult parse, Option<string>? file, Option<bool>? local,
        TextWriter stderr)
    {
        var (path, given) = file is null ? (CommonOptions.DefaultSpecFile, false) : parse.GetFile(file);
        var result = Resolve(path, given, local is not null && parse.GetValue(local));
        if (result.IsValid) return result.Spec;
        await WriteProblemsAsync(result, stderr);
        return null;
    }

    /// <summary>
    /// The file the spec was read from, absolute, as <see cref="Resolve"/> picks it; null when it is the embedded local
    /// default (no file given, none at the default path).
    /// </summary>
    public static string? SourceFile(ParseResult parse, Option<string>? file)
    {
        var (path, _) = file is null ? (CommonOptions.DefaultSpecFile, false) : parse.GetFile(file);
        return File.Exists(path) ? Path.GetFullPath(path) : null;
    }

    public static async Task WriteProblemsAsync(SpecLoadResult result, TextWriter stderr)
    {
        foreach (var line in result.FormatProblems()) await stderr.WriteLineAsync(line);
    }

    private static SpecLoadResult Checked(string source, ClusterSpec spec)
    {
        var problems = SpecValidator.Validate(spec);
        return problems.Count == 0 ? SpecLoadResult.Valid(source, spec) : SpecLoadResult.Invalid(source, problems);
    }
}
