using System.Net;
using Kubes.Controller.Channels;
using Kubes.Controller.Channels.Grpc;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Serve;

/// <summary>Which role configs the registrar hands out, and so which certificates each slot is entitled to.</summary>
public enum RoleConfigs
{
    /// <summary>The product's as on main (etcd certificates only), served by <see cref="RegistrarHost"/> itself.</summary>
    Topology,

    /// <summary>The product's plus every certificate the issuance policy gives the slot (<see cref="PolicyRoleConfigSource"/>).</summary>
    Policy,
}

/// <summary>
/// The registrar as <c>kubes serve</c> runs it, on 127.0.0.1: gRPC over TLS with the coordinator certificate, the
/// mailbox answerer and the status refresh, every <see cref="PollInterval"/>.
/// </summary>
public sealed class ServedRegistrar : IAsyncDisposable
{
    /// <summary><c>kubes serve</c>'s default --poll-seconds.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly Func<ValueTask> _stop;

    private ServedRegistrar(Uri address, StatusHub status, Func<ValueTask> stop)
    {
        Address = address;
        Status = status;
        _stop = stop;
    }

    public Uri Address { get; }
    public StatusHub Status { get; }

    public static async Task<ServedRegistrar> StartAsync(RoleConfigs roleConfigs, ClusterTopology topology, IStateStore store,
        IInstanceDirectory directory, PolicyCertificateIssuer issuer, BenchPki pki)
    {
        var listen = new IPEndPoint(IPAddress.Loopback, 0);
        if (roleConfigs == RoleConfigs.Topology)
        {
            var host = await RegistrarHost.StartAsync(new RegistrarHostOptions(topology, store, directory, issuer)
            {
                GrpcListen = listen,
                ServingCertificate = pki.ServingCertificate,
                PollInterval = PollInterval,
            });
            return new ServedRegistrar(host.GrpcAddress!, host.Status, host.DisposeAsync);
        }

        // RegistrarHost's three parts, with the one difference that the registrar's role configs come from the policy.
        var status = await StatusHub.LoadAsync(new AgentStatusStore(store));
        var registrar = new AgentRegistrar(topology, directory, new JoinTokenStore(store, topology.Spec.Name),
            new AgentCredentialStore(store), new PolicyRoleConfigSource(topology, issuer), issuer, status);
        var server = await RegistrarServer.StartAsync(listen, pki.ServingCertificate, registrar, status);
        var stopping = new CancellationTokenSource();
        var loops = Task.WhenAll(
            new MailboxAnswerer(store, registrar).RunAsync(PollInterval, stopping.Token),
            RefreshAsync(status, stopping.Token));
        return new ServedRegistrar(server.Address, status, async () =>
        {
            await stopping.CancelAsync();
            await loops;
            await server.DisposeAsync();
            stopping.Dispose();
        });
    }

    public ValueTask DisposeAsync() => _stop();

    private static async Task RefreshAsync(StatusHub status, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(PollInterval, cancellationToken);
                await status.RefreshAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopped
        }
    }
}
