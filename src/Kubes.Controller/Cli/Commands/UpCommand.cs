using System.CommandLine;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Providers;
using Kubes.Controller.Status;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes up</c>: create or repair everything the spec describes, then follow the agents until the etcd tier is
/// healthy. Idempotent: a second run changes nothing; an interrupted run is resumed by running it again.
/// </summary>
public static class UpCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var yes = CommonOptions.Yes();
        var wait = new Option<int>("--wait-minutes")
        {
            Description = "How long to follow the agents after the infrastructure is applied; 0 does not follow them",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("up", "Create or repair the cluster, then wait for its agents to report the etcd tier healthy.")
        {
            file, local, yes, wait,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            var provider = ClusterProviders.For(spec.Provider);
            if (provider.RefusalBeforeUp() is { } refusal)
            {
                await stderr.WriteLineAsync($"error: {refusal} Nothing was changed.");
                return ExitCodes.BadInput;
            }
            if (parse.GetValue(wait) is < 0 or > 24 * 60)
            {
                await stderr.WriteLineAsync($"error: --wait-minutes {parse.GetValue(wait)} is out of range (0 to 1440).");
                return ExitCodes.BadInput;
            }
            // A provider that changes only this machine needs no consent.
            if (provider.UpNeedsConsent &&
                !await Confirmation.ConfirmAsync(parse.GetValue(yes), $"This creates or changes the resources of cluster {spec.Name} in {spec.Region}.",
                    stdout, stderr))
                return ExitCodes.BadInput;
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec,
                    new ProviderOptions { SpecFile = SpecFile.SourceFile(parse, file) }, cancellationToken);
                var timeout = TimeSpan.FromMinutes(parse.GetValue(wait));
                var outcome = await new ClusterUp(session, new ConsoleUpProgress(stdout)).RunAsync(timeout, cancellationToken);
                var result = outcome.Result;
                return await SummarizeAsync(result.Succeeded, result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}"),
                    outcome.Slots, outcome.Roll, outcome.Unprovided ?? UnprovidedArtifacts.None, followed: timeout > TimeSpan.Zero, stdout, stderr);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }

    private static async Task<int> SummarizeAsync(bool applied, IEnumerable<string> failures, IReadOnlyList<SlotStatus> slots,
        RollOutcome? roll, UnprovidedArtifacts unprovided, bool followed, TextWriter stdout, TextWriter stderr)
    {
        if (!applied)
        {
            foreach (var failure in failures) await stderr.WriteLineAsync($"  {failure}");
            await stderr.WriteLineAsync("error: the infrastructure is not complete; fix what is named above and run 'kubes up' again.");
            return ExitCodes.Failure;
        }
        await stdout.WriteLineAsync();
        await StatusLines.WriteAsync(stdout, slots, DateTimeOffset.UtcNow);
        var etcd = slots.Where(s => s.Role == "etcd").ToList();
        var pendingRoles = slots.Where(s => s.IsRoleNotInstallable).Select(s => s.Role).Distinct().ToList();
        if (etcd.Count > 0 && etcd.All(s => s.IsReady))
            await stdout.WriteLineAsync($"etcd tier healthy: {etcd.Count} of {etcd.Count} members Ready.");
        if (slots.Any(s => s.Role == "bastion" && s.IsReady))
            await stdout.WriteLineAsync("Bastion ready: 'kubes vpn profile NAME' for the VPN, 'kubes ssh SLOT' or 'kubes ssh-config' for SSH.");
        if (pendingRoles.Count > 0)
            await stdout.WriteLineAsync($"Joined with certificates, but not installed (no installer for the role yet): {string.Join(", ", pendingRoles)}.");
        if (roll is { Stopped: true })
        {
            await stderr.WriteLineAsync($"error: the roll of generation {roll.Generation} stopped at {roll.StoppedAt}: {roll.Reason}. " +
                "The members after it are untouched. 'kubes status' shows each slot; fix the cause, then run 'kubes up' again to resume the roll.");
            return ExitCodes.Failure;
        }
        if (roll is { Deferred.Count: > 0 })
            await stdout.WriteLineAsync($"Not rolled (--wait-minutes 0): {string.Join(", ", roll.Deferred)} still run an earlier generation " +
                $"than {roll.Generation}; 'kubes up' rolls it, one member at a time.");
        var unprovidedErrors = unprovided.ErrorLines(slots).ToList();
        foreach (var line in unprovidedErrors) await stderr.WriteLineAsync(line);
        if (unprovidedErrors.Count > 0) return ExitCodes.Failure;
        if (AgentWaiter.IsSettled(slots, unprovided)) return ExitCodes.Ok;
        if (!followed)
        {
            await stdout.WriteLineAsync("Not following the agents (--wait-minutes 0): 'kubes status' shows them as they report.");
            return ExitCodes.Ok;
        }
        await stderr.WriteLineAsync("error: not every slot settled in time; 'kubes status' shows each one, and 'kubes up' again waits more.");
        return ExitCodes.Failure;
    }
}
