using System.CommandLine;
using System.Net;
using Kubes.Controller.Operations.Serve;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes serve</c>: the coordinator as a long-running service. Agents join, get certificates and report over gRPC
/// (<c>--listen</c>) and through the state store's mailbox; for the local provider it also serves every instance's
/// metadata. Runs until interrupted.
/// </summary>
public static class ServeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = CommonOptions.File();
        var local = CommonOptions.Local();
        var listen = new Option<string?>("--listen")
        {
            Description = "Address:port of the gRPC channel [default: the VPC's first address:7443 for the local provider, 127.0.0.1:7443 on AWS]",
        };
        var logFile = new Option<string?>("--log-file")
        {
            Description = "Write the log to this file, rolled over at 16 MiB, 4 files kept [default: standard error]",
        };
        var pollSeconds = new Option<double>("--poll-seconds")
        {
            Description = "How often the mailbox is answered",
            DefaultValueFactory = _ => 2,
        };
        var command = new Command("serve", "Run the coordinator: agents join, get certificates and report, over gRPC and the mailbox.")
        {
            file, local, listen, pollSeconds, logFile,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await SpecFile.ResolveAsync(parse, file, local, stderr);
            if (spec is null) return ExitCodes.BadInput;
            var seconds = parse.GetValue(pollSeconds);
            if (seconds is <= 0 or > 3600)
            {
                await stderr.WriteLineAsync($"error: --poll-seconds {seconds} is out of range (0 < s <= 3600).");
                return ExitCodes.BadInput;
            }
            var listenText = parse.GetValue(listen);
            IPEndPoint? endpoint = null;
            if (listenText is not null && (!IPEndPoint.TryParse(listenText, out endpoint) || (endpoint.Port == 0 && !listenText.EndsWith(":0", StringComparison.Ordinal))))
            {
                await stderr.WriteLineAsync($"error: --listen '{listenText}' is not an address:port (e.g. 127.0.0.1:7443).");
                return ExitCodes.BadInput;
            }
            try
            {
                using var loggers = ServeLog.Create(parse.GetValue(logFile), stderr);
                return await RunAsync(spec, endpoint, TimeSpan.FromSeconds(seconds), loggers, stdout, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return await CommandErrors.ReportAsync(e, stderr);
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(ClusterSpec spec, IPEndPoint? listen, TimeSpan poll, ILoggerFactory loggers, TextWriter stdout,
        CancellationToken cancellationToken)
    {
        using var session = await ClusterProviders.OpenAsync(spec, null, cancellationToken);
        await new CoordinatorService(session, loggers).RunAsync(listen, poll, new ConsoleServeProgress(stdout), cancellationToken);
        await stdout.WriteLineAsync("Coordinator stopped.");
        return ExitCodes.Ok;
    }

    /// <summary>The one line that says where the coordinator answers, and how to stop it.</summary>
    private sealed class ConsoleServeProgress(TextWriter stdout) : IServeProgress
    {
        public async Task ServingAsync(ServingCoordinator coordinator)
        {
            await stdout.WriteLineAsync($"Coordinator for cluster {coordinator.Cluster}: gRPC on {coordinator.Grpc}, mailbox in {coordinator.Mailbox}"
                                        + (coordinator.InstanceServices is { } services ? $", {services}" : "") + ". Ctrl+C stops it.");
            await stdout.FlushAsync();
        }

        public Task NoteAsync(string line) => stdout.WriteLineAsync(line);
    }
}
