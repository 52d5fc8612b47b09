using System.CommandLine;
using System.CommandLine.Parsing;

namespace Kubes.Controller.Cli;

/// <summary>
/// The options every verb shares, kubectl style. Each factory returns a new option for one command to add;
/// a command adds only the ones it needs.
/// </summary>
public static class CommonOptions
{
    public const string DefaultSpecFile = "./cluster.yaml";

    /// <summary><c>-f/--file</c>: the cluster spec, <c>./cluster.yaml</c> unless given.</summary>
    public static Option<string> File() => new("--file", "-f")
    {
        Description = "The cluster spec file",
        HelpName = "FILE",
        DefaultValueFactory = _ => DefaultSpecFile,
    };

    /// <summary><c>-o/--output</c>: table (default), json, yaml or wide; <paramref name="allowed"/> narrows it for a command.</summary>
    public static Option<OutputFormat> Output(params OutputFormat[] allowed)
    {
        var formats = allowed.Length > 0 ? allowed : Enum.GetValues<OutputFormat>();
        var names = formats.Select(NameOf).ToArray();
        var option = new Option<OutputFormat>("--output", "-o")
        {
            Description = $"Output format: {string.Join(", ", names)} [default: table]",
            HelpName = string.Join("|", names),
            // No default factory: help would print the enum's own spelling; absent reads as Table, the enum's zero.
            CustomParser = result => Parse(result, formats),
        };
        option.CompletionSources.Add(names);
        return option;
    }

    /// <summary><c>--local</c>: use the local provider (this machine) instead of AWS.</summary>
    public static Option<bool> Local() => new("--local")
    {
        Description = "Use the local provider: every instance a process tree on this machine in a network namespace of its own",
    };

    /// <summary><c>--yes</c>: go ahead without asking; for verbs that change the world.</summary>
    public static Option<bool> Yes() => new("--yes")
    {
        Description = "Do it without asking for confirmation",
    };

    /// <summary>The value of <paramref name="file"/> and whether the command line gave it (rather than the default).</summary>
    public static (string Path, bool WasGiven) GetFile(this ParseResult result, Option<string> file) =>
        (result.GetValue(file) ?? DefaultSpecFile, result.GetResult(file) is { Implicit: false });

    public static string NameOf(OutputFormat format) => format.ToString().ToLowerInvariant();

    private static OutputFormat Parse(ArgumentResult result, OutputFormat[] formats)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        foreach (var format in formats)
        {
            if (string.Equals(NameOf(format), text, StringComparison.OrdinalIgnoreCase)) return format;
        }
        result.AddError($"'{text}' is not an output format of this command; use {string.Join(", ", formats.Select(NameOf))}");
        return OutputFormat.Table;
    }
}

/// <summary>What <c>-o</c> asks for: a table for people (wide: every column, nothing cut), JSON or YAML for programs.</summary>
public enum OutputFormat { Table = 0, Json, Yaml, Wide }
