using System.CommandLine;
using System.Net;
using Kubes.Controller.Channels;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Kubes.Controller.Cli.Commands;

/// <summary>
/// <c>kubes serve</c>: the registrar as a long-running service, on gRPC (<c>--listen</c>) and on
/// the state store's mailbox, until interrupted.
/// </summary>
public static class ServeCommand
{
    public const string DefaultListen = "127.0.0.1:7443";

    public static Command Create(TextWriter stdout, TextWriter stderr, IRegistrarWiring wiring)
    {
        var file = new Option<string>("--file", "-f")
        {
            Description = "The cluster spec.",
            DefaultValueFactory = _ => "cluster.yaml",
        };
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port the gRPC channel listens on.",
            DefaultValueFactory = _ => DefaultListen,
        };
        var stateStore = new Option<string?>("--state-store")
        {
            Description = "The state store (a folder or s3://bucket/prefix); default: the spec's stateStore.",
        };
        var pollInterval = new Option<double>("--poll-seconds")
        {
            Description = "How often the S3/folder mailbox is answered.",
            DefaultValueFactory = _ => 2,
        };
        var command = new Command("serve", "Run the registrar: agents join, get certificates and report, over gRPC and the mailbox.")
        {
            file, listen, stateStore, pollInterval,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Arguments(parse.GetValue(file)!, parse.GetValue(listen)!, parse.GetValue(stateStore), parse.GetValue(pollInterval)),
            stdout, stderr, wiring, cancellationToken));
        return command;
    }

    private sealed record Arguments(string SpecPath, string Listen, string? StateStore, double PollSeconds);

    private static async Task<int> RunAsync(Arguments arguments, TextWriter stdout, TextWriter stderr,
        IRegistrarWiring wiring, CancellationToken cancellationToken)
    {
        // Port 0 (any free port) only when written out: "127.0.0.1" alone is a forgotten port.
        if (!IPEndPoint.TryParse(arguments.Listen, out var listen)
            || (listen.Port == 0 && !arguments.Listen.EndsWith(":0", StringComparison.Ordinal)))
        {
            await stderr.WriteLineAsync($"error: --listen '{arguments.Listen}' is not an address:port (e.g. {DefaultListen}).");
            return ExitCodes.BadInput;
        }
        if (arguments.PollSeconds is <= 0 or > 3600)
        {
            await stderr.WriteLineAsync($"error: --poll-seconds {arguments.PollSeconds} is out of range (0 < s <= 3600).");
            return ExitCodes.BadInput;
        }
        var spec = wiring.LoadSpec(arguments.SpecPath, stderr);
        if (spec is null) return ExitCodes.BadInput;
        var location = string.IsNullOrWhiteSpace(arguments.StateStore) ? spec.StateStore : arguments.StateStore;
        if (string.IsNullOrWhiteSpace(location))
        {
            await stderr.WriteLineAsync(
                $"error: {arguments.SpecPath} sets no stateStore: set spec.stateStore or pass --state-store.");
            return ExitCodes.BadInput;
        }
        if (S3StateLocation.IsS3(location) && !S3StateLocation.TryParse(location, out _, out var locationError))
        {
            await stderr.WriteLineAsync($"error: state store: {locationError}.");
            return ExitCodes.BadInput;
        }

        using var serilog = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Sink(new TextWriterSink(stderr))
            .CreateLogger();
        using var loggers = new SerilogLoggerFactory(serilog);
        try
        {
            var topology = ClusterTopology.From(spec);
            var store = StateStores.Open(location, spec.Region);
            var options = new RegistrarHostOptions(
                topology,
                store,
                wiring.InstanceDirectoryFor(spec),
                await wiring.CertificateIssuerForAsync(topology, store, cancellationToken))
            {
                GrpcListen = listen,
                ServingCertificate = await wiring.ServingCertificateForAsync(topology, store, listen, cancellationToken),
                PollInterval = TimeSpan.FromSeconds(arguments.PollSeconds),
                Loggers = loggers,
            };
            await using var host = await RegistrarHost.StartAsync(options, cancellationToken);
            await stdout.WriteLineAsync(
                $"Registrar for cluster {spec.Name}: gRPC on {host.GrpcAddress}, mailbox in {store.Location}. Ctrl+C stops it.");
            await stdout.FlushAsync(cancellationToken);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await stdout.WriteLineAsync("Registrar stopped.");
            }
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is StateStoreException or IOException or ArgumentException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>Serilog lines to the command's error writer, so tests and callers see the log.</summary>
    private sealed class TextWriterSink(TextWriter writer) : ILogEventSink
    {
        private readonly ITextFormatter _format =
            new MessageTemplateTextFormatter("{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}");
        private readonly Lock _lock = new();

        public void Emit(LogEvent logEvent)
        {
            lock (_lock)
            {
                _format.Format(logEvent, writer);
                writer.Flush();
            }
        }
    }
}
