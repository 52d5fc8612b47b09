using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes validate [-f FILE] [-o table|json] [--local]</c>: every problem of the spec, or that it is valid.</summary>
public static class ValidateCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // The output goes to a terminal or a program, never into HTML: keep quotes in messages readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var output = CommonOptions.Output(OutputFormat.Table, OutputFormat.Json);
        var local = CommonOptions.Local();
        var command = new Command("validate", "Check a cluster spec and list every problem with its field and line")
        {
            file, output, local,
        };
        command.SetAction(async (parse, _) =>
        {
            var (path, given) = parse.GetFile(file);
            var result = SpecFile.Resolve(path, given, parse.GetValue(local));
            var format = parse.GetValue(output);
            if (format == OutputFormat.Json)
                await stdout.WriteLineAsync(JsonSerializer.Serialize(result.Problems, Json));
            else if (!result.IsValid)
                await stdout.WriteAsync(Table(result));

            if (!result.IsValid)
            {
                var count = result.Problems.Count;
                await stderr.WriteLineAsync($"{result.SourceName}: {count} problem{(count == 1 ? "" : "s")}");
                return ExitCodes.BadInput;
            }
            var spec = result.Spec;
            var summary = $"{result.SourceName}: valid (cluster {spec.Name}, provider {spec.Provider.ToSpecName()}, "
                + $"{InstanceCount(ClusterTopology.From(spec))} instances)";
            await (format == OutputFormat.Json ? stderr : stdout).WriteLineAsync(summary);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Aligned columns; the first is file:line:column, which editors open.</summary>
    private static string Table(SpecLoadResult result)
    {
        var rows = result.Problems
            .Select(p => (Where: p.Line > 0 ? $"{result.SourceName}:{p.Line}:{p.Column}" : result.SourceName,
                Field: p.Path.Length > 0 ? p.Path : "-", p.Message))
            .Prepend((Where: "LOCATION", Field: "FIELD", Message: "PROBLEM"))
            .ToList();
        var whereWidth = rows.Max(r => r.Where.Length);
        var fieldWidth = rows.Max(r => r.Field.Length);
        var text = new StringBuilder();
        foreach (var (where, field, message) in rows)
            text.Append(where.PadRight(whereWidth)).Append("  ").Append(field.PadRight(fieldWidth)).Append("  ").Append(message).Append('\n');
        return text.ToString();
    }

    private static int InstanceCount(ClusterTopology topology) => topology.Slots.Count + (topology.NodeGroup?.Desired ?? 0);
}
