using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Kubes.Controller.Tests;

/// <summary>
/// What the folders of the coordinator promise, read from its sources: the command line is the top layer and nothing
/// below calls into it, and neither the commands nor the use cases ask which provider a cluster runs on.
/// </summary>
public sealed partial class LayeringTests
{
    private static string Source([CallerFilePath] string self = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(self), "..", "..", "src", "Kubes.Controller"));

    private static IEnumerable<(string File, string Text)> Files(string folder) =>
        Directory.EnumerateFiles(Path.Join(Source(), folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Source(), f), File.ReadAllText(f)));

    [Fact]
    public void Nothing_below_the_command_line_calls_into_it()
    {
        var offenders = Files(".")
            .Where(f => !f.File.StartsWith("Cli", StringComparison.Ordinal) && f.File != "Program.cs")
            .Where(f => CliReference().IsMatch(f.Text))
            .Select(f => f.File).ToList();

        Assert.True(offenders.Count == 0, $"these call into Cli/: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void Commands_and_use_cases_never_ask_which_provider_a_cluster_runs_on()
    {
        var offenders = Files("Operations").Concat(Files(Path.Join("Cli", "Commands")))
            .Where(f => f.Text.Contains("ProviderKind.", StringComparison.Ordinal))
            .Select(f => f.File).ToList();

        Assert.True(offenders.Count == 0, $"these decide by ProviderKind: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void The_sources_are_found()
    {
        Assert.Contains(Files("Operations"), f => f.File.EndsWith("ClusterUp.cs", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\bKubes\.Controller\.Cli\b|\bCli\.(Rendering|Commands)\.")]
    private static partial Regex CliReference();
}
