using System.CommandLine;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Destroy;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes destroy</c>: delete everything the cluster owns, found by its tag alone — it works with the state store
/// already gone — in the order AWS needs (instances and attachments before volumes, NAT and load balancer before
/// subnets, …), and name whatever could not be deleted and why.
/// </summary>
public static class DestroyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var yes = CommonOptions.Yes();
        var command = new Command("destroy", "Delete every resource the cluster owns, found by its tag.") { file, local, yes };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            if (!await Confirmation.ConfirmAsync(parse.GetValue(yes), $"This deletes everything cluster {spec.Name} owns.", stdout, stderr))
                return ExitCodes.BadInput;
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                var (plan, result) = await ClusterDestroy.RunAsync(session, new ConsoleApplyProgress(stdout), cancellationToken);
                if (result.Succeeded)
                {
                    await stdout.WriteLineAsync(plan.IsEmpty
                        ? $"Cluster {spec.Name} owns nothing: there was nothing to delete."
                        : $"Cluster {spec.Name} destroyed: {result.Applied} resources deleted.");
                    return ExitCodes.Ok;
                }
                foreach (var failure in result.Failed)
                    await stderr.WriteLineAsync($"  could not delete {failure.Change.Key} ({failure.Change.Actual?.Id}): {failure.Reason}");
                foreach (var skipped in result.Skipped)
                    await stderr.WriteLineAsync($"  left {skipped.Change.Key} ({skipped.Change.Actual?.Id}): {skipped.Reason}");
                await stderr.WriteLineAsync("error: some resources remain; fix what is named above and run 'kubes destroy' again.");
                return ExitCodes.Failure;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }
}
