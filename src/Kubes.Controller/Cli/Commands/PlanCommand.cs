using System.CommandLine;
using System.Text.Json;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Planning;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;
using Spectre.Console;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes plan</c>: what <c>up</c> would create, change and delete. <c>--offline</c> looks nothing up.</summary>
public static class PlanCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var output = CommonOptions.Output(OutputFormat.Table, OutputFormat.Json);
        var offline = new Option<bool>("--offline")
        {
            Description = "Make no cloud call: the complete desired state, as if the cluster did not exist yet",
        };
        var command = new Command("plan", "Show what 'kubes up' would create, change and delete.") { file, local, output, offline };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            var topology = ClusterTopology.From(spec);
            Plan plan;
            var isOffline = parse.GetValue(offline);
            if (isOffline) plan = ClusterPlan.Offline(topology);
            else
            {
                try
                {
                    using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                    plan = await ClusterPlan.LiveAsync(session, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    return await CommandErrors.ReportAsync(e, stderr);
                }
            }

            var view = PlanView.From(topology, plan, isOffline);
            if (parse.GetValue(output) == OutputFormat.Json)
                await stdout.WriteLineAsync(JsonSerializer.Serialize(view, PlanView.Json));
            else
                PlanTableRenderer.Render(view, ConsoleFor(stdout));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>A console on a writer: plain text, wide enough for tables when the output is not a terminal.</summary>
    internal static IAnsiConsole ConsoleFor(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected
            ? Math.Max(Console.WindowWidth, 80)
            : 200;
        return console;
    }
}
