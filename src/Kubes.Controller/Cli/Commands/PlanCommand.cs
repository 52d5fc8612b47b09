using System.CommandLine;
using System.Text.Json;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Coordinator;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Spectre.Console;

namespace Kubes.Controller.Cli.Commands;

/// <summary><c>kubes plan</c>: what <c>up</c> would create, change and delete. <c>--offline</c> looks nothing up.</summary>
public static class PlanCommand
{
    /// <summary>Stands for the AWS account id in an offline plan of a spec that uses the default state bucket.</summary>
    public const string UnknownAccount = "ACCOUNT";

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
            if (isOffline) plan = Planner.Offline(DesiredResources(topology, stateAccount: UnknownAccount));
            else
            {
                try
                {
                    plan = await LivePlan.ComputeAsync(spec, cancellationToken);
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

    public static IReadOnlyList<DesiredResource> DesiredResources(ClusterTopology topology, string stateAccount) =>
        topology.Spec.Provider == ProviderKind.Local
            ? LocalClusterModel.Build(topology)
            : AwsClusterModel.Build(topology, StateLocation(topology.Spec, stateAccount));

    public static StateStoreLocation StateLocation(ClusterSpec spec, string account) =>
        string.IsNullOrEmpty(spec.StateStore)
            ? StateStoreLocation.Default(account, spec.Name)
            : StateStoreLocation.Parse(spec.StateStore);

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
