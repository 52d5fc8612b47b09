using System.CommandLine;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Certs;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes certs</c>: every certificate issued in the cluster, the newest per instance and identity (<c>--all</c>: the
/// superseded ones too), with its days left and a flag on those near or past expiry; and the CAs' own expiry. Read from
/// the state store. Exit 0 when shown (flags included), 1 when the cluster has no PKI yet or the store cannot be read.
/// </summary>
public static class CertsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var output = CommonOptions.Output(OutputFormat.Table, OutputFormat.Json);
        var all = new Option<bool>("--all")
        {
            Description = "Also list the certificates that newer ones superseded",
        };
        var command = new Command("certs",
            "List every certificate issued in the cluster and the CAs: instance, identity, subject, issuer, not-after, days left, flag.")
        {
            file, local, output, all,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            try
            {
                using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
                var inventory = await ClusterCertificates.ReadAsync(session.Store, parse.GetValue(all), DateTimeOffset.UtcNow,
                    cancellationToken);
                if (!inventory.HasPki)
                {
                    await stderr.WriteLineAsync($"error: cluster {spec.Name} has no CAs in {session.StateDescription} yet: "
                                                + "'kubes up' makes them and issues its certificates");
                    return ExitCodes.Failure;
                }
                if (parse.GetValue(output) == OutputFormat.Json) await stdout.WriteLineAsync(CertificateInventoryRenderer.Json(inventory));
                else CertificateInventoryRenderer.Render(inventory, PlanCommand.ConsoleFor(stdout));
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
