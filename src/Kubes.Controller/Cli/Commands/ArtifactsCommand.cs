using Kubes.Controller.Providers;
using System.CommandLine;
using System.Text.Json;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Spec;
using Spectre.Console;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes artifacts mirror</c> downloads, verifies, stores and pins every artifact of the spec's Kubernetes version;
/// <c>kubes artifacts import DIR</c> takes an operator's files with their SHA256SUMS. The work is in
/// <see cref="ArtifactMirroring"/> and <see cref="ArtifactImport"/>.
/// </summary>
public static class ArtifactsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var artifacts = new Command("artifacts", "The cluster's Kubernetes, etcd and runtime files: mirror them into the state store, or import your own.");
        artifacts.Subcommands.Add(Mirror(stdout, stderr));
        artifacts.Subcommands.Add(Import(stdout, stderr));
        return artifacts;
    }

    private static Command Mirror(TextWriter stdout, TextWriter stderr)
    {
        var (file, local, output, replace) = (CommonOptions.File(), CommonOptions.Local(), CommonOptions.Output(OutputFormat.Table, OutputFormat.Json), Replace());
        var arch = ArchOption("The architectures to mirror, amd64 and/or arm64 (repeatable) [default: the cluster's]");
        arch.AllowMultipleArgumentsPerToken = true;
        var command = new Command("mirror",
            "Download every artifact of the spec's Kubernetes version over HTTPS, verify each against its published checksum, "
            + "store it in the state store and pin its digest.") { file, local, arch, replace, output };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, file, local, arch, output, stdout, stderr, async (spec, session, arches) =>
        {
            using var http = HttpsArtifactSource.CreateClient();
            return await ArtifactMirroring.For(spec, session.Store, http, session.UsesHostPackages).MirrorAsync(spec.KubernetesVersion, arches, parse.GetValue(replace),
                new LineProgress(stderr), cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static Command Import(TextWriter stdout, TextWriter stderr)
    {
        var (file, local, output, replace) = (CommonOptions.File(), CommonOptions.Local(), CommonOptions.Output(OutputFormat.Table, OutputFormat.Json), Replace());
        var directory = new Argument<string>("dir") { Description = $"The folder with the files and their {ArtifactImport.SumsFile} (sha256sum format)." };
        var arch = ArchOption("The architecture the files are for, amd64 or arm64 [default: the cluster's]");
        var command = new Command("import",
            $"Take the files in DIR, verified against DIR/{ArtifactImport.SumsFile}, as the cluster's artifacts: store them in the state "
            + "store and pin their digests.") { directory, file, local, arch, replace, output };
        command.SetAction((parse, cancellationToken) => RunAsync(parse, file, local, arch, output, stdout, stderr, async (spec, session, arches) =>
        {
            if (arches.Count != 1) throw new ArtifactInputException("import takes the files of one architecture: give --arch once");
            return await new ArtifactImport(session.Store, session.UsesHostPackages, cni: spec.Cni).ImportAsync(
                Path.GetFullPath(parse.GetRequiredValue(directory)), spec.KubernetesVersion, arches[0], parse.GetValue(replace), cancellationToken);
        }, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string> file, Option<bool> local, Option<string[]> arch,
        Option<OutputFormat> output, TextWriter stdout, TextWriter stderr,
        Func<ClusterSpec, IClusterSession, IReadOnlyList<string>, Task<ArtifactReport>> work, CancellationToken cancellationToken)
    {
        var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
        if (spec is null) return ExitCodes.BadInput;
        var arches = parse.GetValue(arch) is { Length: > 0 } given
            ? given.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToList()
            : [CpuArchitecture.OfCluster(spec)];
        if (arches.FirstOrDefault(a => !CpuArchitecture.IsKnown(a)) is { } unknown)
        {
            await stderr.WriteLineAsync($"error: --arch {unknown} is not an architecture of the catalogue; use {string.Join(" or ", CpuArchitecture.All)}.");
            return ExitCodes.BadInput;
        }
        try
        {
            using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
            var report = await work(spec, session, arches);
            await WriteAsync(report, parse.GetValue(output), stdout);
            foreach (var row in report.Rows.Where(r => r.Outcome == ArtifactOutcome.Failed))
                await stderr.WriteLineAsync($"error: {row.Name} {row.Version} linux/{row.Arch}: {row.Detail}");
            return report.Succeeded ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (ArtifactInputException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}. Nothing was imported.");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await CommandErrors.ReportAsync(e, stderr);
        }
    }

    private static async Task WriteAsync(ArtifactReport report, OutputFormat format, TextWriter stdout)
    {
        if (format == OutputFormat.Json)
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new
            {
                report.KubernetesVersion,
                report.Succeeded,
                Artifacts = report.Rows,
                Missing = report.StillMissing,
            }, PlanView.Json));
            return;
        }
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("ARTIFACT", "VERSION", "ARCH", "FILE", "SHA256", "OUTCOME", "DETAIL");
        foreach (var row in report.Rows)
            table.AddRow(Markup.Escape(row.Name), Markup.Escape(row.Version), row.Arch, Markup.Escape(row.File),
                row.Sha256.Length >= 12 ? row.Sha256[..12] : row.Sha256, row.Outcome.ToString(), Markup.Escape(row.Detail));
        PlanCommand.ConsoleFor(stdout).Write(table);
        if (report.StillMissing.Count == 0)
        {
            await stdout.WriteLineAsync($"Every artifact of Kubernetes {report.KubernetesVersion} is pinned.");
            return;
        }
        await stdout.WriteLineAsync($"Still missing for Kubernetes {report.KubernetesVersion}:");
        foreach (var missing in report.StillMissing) await stdout.WriteLineAsync($"  {missing.Line}");
    }

    private static Option<string[]> ArchOption(string description) => new("--arch")
    {
        Description = description,
        HelpName = string.Join("|", CpuArchitecture.All),
    };

    private static Option<bool> Replace() => new("--replace")
    {
        Description = "Pin these files even where other bytes are pinned for the same artifact",
    };

    /// <summary>Writes each progress line as it is reported (Progress&lt;T&gt; would post it to another thread).</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine(value);
    }
}
