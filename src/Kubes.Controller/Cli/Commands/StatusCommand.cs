using System.CommandLine;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Status;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes status</c>: every slot with what its agent last reported, read from the state store.</summary>
public static class StatusCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var output = CommonOptions.Output(OutputFormat.Table, OutputFormat.Json);
        var command = new Command("status", "Show every slot: instance, zone, IP, role, phase, step, health, last report, error.")
        {
            file, local, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                var rows = await ClusterStatus.ReadAsync(session, cancellationToken);
                if (parse.GetValue(output) == OutputFormat.Json) await stdout.WriteLineAsync(StatusRenderer.Json(rows));
                else PlanCommand.ConsoleFor(stdout).Write(StatusRenderer.Table(rows, DateTimeOffset.UtcNow));
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
