using System.CommandLine;
using System.Net;
using Kubes.Controller.Channels;
using Kubes.Controller.Coordinator;
using Kubes.Controller.Local;
using Kubes.Controller.Registrar;
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
            Description = "How often the mailbox is answered [default: 2]",
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
        using var session = await ClusterSession.OpenAsync(spec, null, cancellationToken);
        var isLocal = spec.Provider == ProviderKind.Local;
        listen ??= CoordinatorListen.Default(session.Topology);

        using var state = new CoordinatorState(session.Topology, session.Store, isLocal ? CoordinatorState.MirrorHostEtcdAsync : null);
        var loaded = await state.GetAsync(cancellationToken);
        var provider = isLocal ? new LocalProvider(spec.Name, session.StateFolder) : null;
        IInstanceDirectory directory = provider is not null ? provider.Directory : new Ec2InstanceDirectory(session.Aws!.Ec2);
        IArtifactUrls urls = provider is not null
            ? new FolderArtifactUrls(session.StateFolder)
            : new S3ArtifactUrls(session.Aws!.S3, State.S3StateLocation.Parse(session.S3!.ToString()), AwsClusterUp.AgentUrlLifetime);
        using var certificate = CoordinatorCertificate.Issue(loaded.Pki, loaded.Policy, listen.Address, []);
        await using var host = await RegistrarHost.StartAsync(new RegistrarHostOptions(session.Topology, session.Store, directory,
            new PolicyCertificateIssuer(loaded.Pki, loaded.Policy))
        {
            GrpcListen = listen,
            ServingCertificate = certificate,
            WatcherCa = loaded.Pki.Kubernetes.Certificate,
            PollInterval = poll,
            RoleConfigs = new TopologyRoleConfigSource(session.Topology, new RoleArtifacts(loaded.Mirror, urls).For),
            CallerIdentity = SessionCallerIdentity.For(session),
            Loggers = loggers,
        }, cancellationToken);

        await using var metadata = provider is not null ? new LocalMetadataService(loggers) : null;
        var following = provider is not null
            ? metadata!.FollowAsync(provider.Registry, TimeSpan.FromMilliseconds(500), cancellationToken)
            : Task.CompletedTask;
        await stdout.WriteLineAsync($"Coordinator for cluster {spec.Name}: gRPC on {host.GrpcAddress}, mailbox in {session.StateDescription}" +
                                    (provider is not null ? $", instance metadata on port {provider.MetadataPort}" : "") + ". Ctrl+C stops it.");
        await stdout.FlushAsync(cancellationToken);
        try
        {
            await Task.WhenAll(following, Task.Delay(Timeout.Infinite, cancellationToken));
        }
        catch (OperationCanceledException)
        {
            await stdout.WriteLineAsync("Coordinator stopped.");
        }
        return ExitCodes.Ok;
    }
}
