using System.CommandLine;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Status;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes status [SLOT]</c>: every slot with what its agent last reported, read from the state store: one line per
/// slot that fits the terminal, every column and the full error with <c>-o wide</c>, one slot in full when named.
/// </summary>
public static class StatusCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var output = CommonOptions.Output(OutputFormat.Table, OutputFormat.Wide, OutputFormat.Json);
        var slot = new Argument<string?>("slot")
        {
            Description = "Show this slot in full (etcd-0, node-3, or a group node's instance id)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("status", "Show every slot: phase, step, health, last report and why it is not done; one slot in full.")
        {
            file, local, output, slot,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                var view = await ClusterStatus.ReadAsync(session, cancellationToken);
                var rows = view.Slots;
                if (view.ApiProblem is { } problem)
                    await stderr.WriteLineAsync($"note: the nodes' readiness in the Kubernetes API is not shown: {problem}");
                var now = DateTimeOffset.UtcNow;
                if (parse.GetValue(slot) is { } name)
                {
                    if (rows.FirstOrDefault(r => r.Slot == name) is not { } row)
                    {
                        await stderr.WriteLineAsync($"error: cluster {spec.Name} has no slot '{name}'; its slots: " +
                                                    string.Join(", ", rows.Select(r => r.Slot)));
                        return ExitCodes.BadInput;
                    }
                    rows = [row];
                    if (parse.GetValue(output) is not OutputFormat.Json)
                    {
                        foreach (var line in StatusRenderer.Detail(row, now)) await stdout.WriteLineAsync(line);
                        return ExitCodes.Ok;
                    }
                }
                switch (parse.GetValue(output))
                {
                    case OutputFormat.Json:
                        await stdout.WriteLineAsync(StatusRenderer.Json(rows));
                        break;
                    case OutputFormat.Wide:
                        PlanCommand.ConsoleFor(stdout).Write(StatusRenderer.Table(rows, now));
                        break;
                    default:
                        await StatusLines.WriteAsync(stdout, rows, now);
                        break;
                }
                return ExitCodes.Ok;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }
}
