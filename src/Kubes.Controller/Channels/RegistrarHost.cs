using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Channels.Grpc;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.Registrar;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Channels;

/// <summary>What a process needs to host the registrar, and on which channels.</summary>
public sealed record RegistrarHostOptions(
    ClusterTopology Topology,
    IStateStore Store,
    IInstanceDirectory Directory,
    ICertificateIssuer Issuer)
{
    /// <summary>Where gRPC listens; null hosts the mailbox only.</summary>
    public IPEndPoint? GrpcListen { get; init; }

    /// <summary>Required with <see cref="GrpcListen"/>: the certificate each TLS handshake presents (renewed while serving).</summary>
    public Func<X509Certificate2>? ServingCertificate { get; init; }

    /// <summary>Required with <see cref="GrpcListen"/>: the Kubernetes CA, whose admin certificates may watch agent status.</summary>
    public X509Certificate2? WatcherCa { get; init; }

    /// <summary>How often the mailbox (of a cluster whose agents use it) is answered and other processes' status changes are picked up.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Role configurations; null gives the topology's own without artifacts.</summary>
    public IRoleConfigSource? RoleConfigs { get; init; }

    /// <summary>Checks the STS proof of Auto Scaling nodes; null refuses such proofs.</summary>
    public CallerIdentityVerifier? CallerIdentity { get; init; }

    /// <summary>Certifies the instances' SSH host keys; null refuses them.</summary>
    public SshHostCertificateIssuer? SshHostCertificates { get; init; }

    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// The registrar in one process: the gRPC server (when asked for: it answers agents only when the cluster's agents use
/// gRPC, and serves status watchers either way), the mailbox answerer (only when the cluster's agents use the S3
/// mailbox: a mailbox no agent of the cluster writes to is an opening for nobody but an attacker) and the status
/// refresh, until disposed. Used by <c>kubes serve</c> and <c>kubes up</c>.
/// </summary>
public sealed class RegistrarHost : IAsyncDisposable
{
    private readonly RegistrarServer? _server;
    private readonly CancellationTokenSource _stopping;
    private readonly Task _loops;

    private RegistrarHost(AgentRegistrar registrar, StatusHub status, RegistrarServer? server,
        CancellationTokenSource stopping, Task loops)
    {
        Registrar = registrar;
        Status = status;
        _server = server;
        _stopping = stopping;
        _loops = loops;
    }

    public AgentRegistrar Registrar { get; }
    public StatusHub Status { get; }

    /// <summary>The gRPC address agents dial, or null when only the mailbox is served.</summary>
    public Uri? GrpcAddress => _server?.Address;

    /// <summary>
    /// Threads the pool starts at once. Every state write blocks a thread in fsync until it is durable (a few ms, far
    /// more while the disk is busy); with the pool's default of one per core, a crowd of agents queues behind a
    /// couple of fsyncs while the pool adds threads at a trickle.
    /// </summary>
    public const int MinimumThreads = 64;

    public static async Task<RegistrarHost> StartAsync(RegistrarHostOptions options, CancellationToken cancellationToken = default)
    {
        ThreadPool.GetMinThreads(out var workers, out var completions);
        ThreadPool.SetMinThreads(Math.Max(workers, MinimumThreads), Math.Max(completions, MinimumThreads));
        var status = await StatusHub.LoadAsync(new AgentStatusStore(options.Store), cancellationToken);
        var registrar = AgentRegistrar.Create(options.Topology, options.Store, options.Directory, options.Issuer, status,
            options.Loggers, options.Time, options.RoleConfigs, options.CallerIdentity, options.SshHostCertificates);
        RegistrarServer? server = null;
        if (options.GrpcListen is not null)
        {
            var certificate = options.ServingCertificate
                ?? throw new ArgumentException("A gRPC listener needs the coordinator's serving certificate.", nameof(options));
            var watcherCa = options.WatcherCa
                ?? throw new ArgumentException("A gRPC listener needs the Kubernetes CA that admits watchers.", nameof(options));
            server = await RegistrarServer.StartAsync(options.GrpcListen, certificate, watcherCa, registrar, status,
                options.Loggers, cancellationToken);
        }
        var stopping = new CancellationTokenSource();
        var loops = new List<Task> { RefreshAsync(status, options, stopping.Token) };
        if (options.Topology.Spec.AgentChannel == AgentChannel.S3)
        {
            var answerer = new MailboxAnswerer(options.Store, registrar, options.Loggers.CreateLogger<MailboxAnswerer>(), options.Time);
            loops.Add(answerer.RunAsync(options.PollInterval, stopping.Token));
        }
        return new RegistrarHost(registrar, status, server, stopping, Task.WhenAll(loops));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loops;
        if (_server is not null) await _server.DisposeAsync();
        _stopping.Dispose();
    }

    private static async Task RefreshAsync(StatusHub status, RegistrarHostOptions options, CancellationToken cancellationToken)
    {
        var logger = options.Loggers.CreateLogger<RegistrarHost>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.PollInterval, options.Time, cancellationToken);
                await status.RefreshAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Reading agent status from {Location} failed; retrying", options.Store.Location);
            }
        }
    }
}
