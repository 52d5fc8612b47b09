using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Kubes.Controller.Channels.Grpc;
using Kubes.Controller.Pki;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.Pki.Support;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using RegistrarContract = Kubes.Protos.V1.Registrar;

namespace Kubes.Controller.Tests.Channels.Grpc;

/// <summary>
/// The watch stream of <c>kubes serve</c>, with the cluster's real PKI: the coordinator's certificate and the
/// client certificates the issuance policy gives the admin and the instances.
/// </summary>
public sealed class WatchTests(LocalPkiFixture cluster) : IClassFixture<LocalPkiFixture>, IAsyncLifetime
{
    private const int Backlog = 8;
    private readonly TempFolder _folder = new();
    private RegistrarWorld _world = null!;
    private StatusHub _status = null!;
    private X509Certificate2 _serving = null!;
    private RegistrarServer _server = null!;

    public async Task InitializeAsync()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
        _status = new StatusHub(new AgentStatusStore(_world.Store), Backlog);
        _serving = CoordinatorCertificate.Issue(cluster.Pki, cluster.Policy, IPAddress.Loopback, []);
        _server = await RegistrarServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), () => _serving,
            cluster.Pki.Kubernetes.Certificate, _world.Registrar, _status);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _serving.Dispose();
        _world.Dispose();
        _folder.Dispose();
    }

    private X509Certificate2 Admin() => cluster.Issue(cluster.Policy.ForAdmin());

    private X509Certificate2 KubeletClient() => cluster.Issue(cluster.Policy
        .ForSlot(cluster.Topology.FindSlot(InstanceRole.Node, 0)!).Single(i => i.Kind == IdentityKind.KubeletClient));

    private GrpcChannel Open(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = GrpcAgentChannel.Pinned(cluster.Pki.Kubernetes.Certificate) },
        };
        if (clientCertificate is not null) handler.SslOptions.ClientCertificates = [clientCertificate];
        return GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static AsyncServerStreamingCall<WatchEvent> Watch(GrpcChannel channel, CancellationToken cancellationToken) =>
        new RegistrarContract.RegistrarClient(channel).Watch(new WatchRequest(), cancellationToken: cancellationToken);

    private static AgentStatus Agent(string id, Phase phase, string error = "") => new()
    {
        InstanceId = id, Role = Role.Etcd, Name = id, LastReport = new AgentReport { Phase = phase, Error = error },
    };

    private async Task<RpcException> Refused(X509Certificate2? clientCertificate)
    {
        await _status.PublishAsync(Agent("i-0secret", Phase.Failed, "etcd: disk /dev/nvme1n1 at 10.0.1.10 is not blank"));
        using var channel = Open(clientCertificate);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var watch = Watch(channel, timeout.Token);
        return await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(timeout.Token));
    }

    [Fact]
    public async Task A_watch_without_a_client_certificate_is_refused()
    {
        var refusal = await Refused(null);
        Assert.Equal(StatusCode.Unauthenticated, refusal.StatusCode);
        Assert.Contains("admin client certificate", refusal.Status.Detail);
    }

    [Fact]
    public async Task A_watch_with_a_nodes_kubelet_client_certificate_is_refused()
    {
        using var kubelet = KubeletClient();
        var refusal = await Refused(kubelet);
        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
        Assert.Contains("O=system:nodes", refusal.Status.Detail);
        Assert.Contains("not the cluster admin's", refusal.Status.Detail);
    }

    [Fact]
    public async Task A_watch_with_an_admin_certificate_of_another_cluster_is_refused()
    {
        using var other = new LocalPkiFixture();
        using var foreignAdmin = other.Issue(other.Policy.ForAdmin());
        var refusal = await Refused(foreignAdmin);
        Assert.Equal(StatusCode.PermissionDenied, refusal.StatusCode);
        Assert.Contains("not a client certificate of this cluster's Kubernetes CA", refusal.Status.Detail);
    }

    [Fact]
    public async Task Agents_without_a_client_certificate_still_join()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var channel = new GrpcAgentChannel(_server.Address, cluster.Pki.Kubernetes.Certificate);
        await using var _ = channel;
        Assert.NotEmpty((await channel.JoinAsync(agent, agent.Join())).AgentCredential);
    }

    [Fact]
    public async Task The_admin_watches_a_snapshot_then_every_change()
    {
        await _status.PublishAsync(Agent("i-1", Phase.Installing));
        using var admin = Admin();
        using var channel = Open(admin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var watch = Watch(channel, timeout.Token);
        var events = watch.ResponseStream;

        Assert.True(await events.MoveNext(timeout.Token));
        Assert.Equal("i-1", Assert.Single(events.Current.Snapshot.Agents).InstanceId);

        await _status.PublishAsync(Agent("i-2", Phase.Joining));
        await _status.PublishAsync(Agent("i-2", Phase.Ready));
        await _status.RemoveAsync("i-1");

        Assert.True(await events.MoveNext(timeout.Token));
        Assert.Equal(("i-2", Phase.Joining), (events.Current.Upsert.InstanceId, events.Current.Upsert.LastReport.Phase));
        Assert.True(await events.MoveNext(timeout.Token));
        Assert.Equal(("i-2", Phase.Ready), (events.Current.Upsert.InstanceId, events.Current.Upsert.LastReport.Phase));
        Assert.True(await events.MoveNext(timeout.Token));
        Assert.Equal("i-1", events.Current.DeletedInstanceId);
    }

    [Fact]
    public async Task Stopping_the_server_ends_watches_cleanly()
    {
        using var admin = Admin();
        using var channel = Open(admin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var watch = Watch(channel, timeout.Token);
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));

        await _server.StopAsync(timeout.Token);
        Assert.False(await watch.ResponseStream.MoveNext(timeout.Token));
        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);
    }

    [Fact]
    public async Task A_watcher_that_stops_reading_is_dropped_and_another_keeps_every_change()
    {
        using var admin = Admin();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var stalledChannel = Open(admin);
        using var readingChannel = Open(admin);
        using var stalled = Watch(stalledChannel, timeout.Token);
        using var reading = Watch(readingChannel, timeout.Token);
        Assert.True(await stalled.ResponseStream.MoveNext(timeout.Token));
        Assert.True(await reading.ResponseStream.MoveNext(timeout.Token));
        var seen = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var arrived = new SemaphoreSlim(0);
        var reader = Task.Run(async () =>
        {
            while (await reading.ResponseStream.MoveNext(timeout.Token))
            {
                seen.Enqueue(reading.ResponseStream.Current.Upsert.LastReport.Step);
                arrived.Release();
            }
        });

        // Far more than the HTTP/2 windows and the backlog of an unread stream can hold, at the pace of the
        // watcher that reads.
        const int changes = 200;
        var padding = new string('x', 16 * 1024);
        for (var i = 0; i < changes; i++)
        {
            var status = Agent("i-1", Phase.Installing, padding);
            status.LastReport.Step = $"step-{i}";
            await _status.PublishAsync(status);
            Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30)), $"the reading watcher did not get step-{i}");
        }

        var received = 0;
        var dropped = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stalled.ResponseStream.MoveNext(timeout.Token)) received++;
        });
        Assert.Equal(StatusCode.ResourceExhausted, dropped.StatusCode);
        Assert.Contains("watch again", dropped.Status.Detail);
        Assert.InRange(received, Backlog, changes - 1);

        Assert.Equal(Enumerable.Range(0, changes).Select(i => $"step-{i}"), seen);
        Assert.False(reader.IsCompleted);
    }
}
