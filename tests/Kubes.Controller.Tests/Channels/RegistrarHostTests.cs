using Kubes.Protos.Contract;
using System.Net;
using Google.Protobuf;
using Kubes.Controller.Channels;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Channels.Grpc;
using Kubes.Controller.Tests.Channels.Mailbox;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Channels;

public sealed class RegistrarHostTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ServingCertificate _certificate = ServingCertificate.ForLoopback();
    private RegistrarWorld _world;

    public RegistrarHostTests()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
    }

    private void UseAgentChannel(AgentChannel channel)
    {
        _world.Dispose();
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path), channel);
    }

    public void Dispose()
    {
        _world.Dispose();
        _certificate.Dispose();
        _folder.Dispose();
    }

    private RegistrarHostOptions Options() => new(_world.Topology, _world.Store, _world.Directory, _world.Issuer)
    {
        PollInterval = TimeSpan.FromMilliseconds(20),
    };

    private RegistrarHostOptions WithListener() => Options() with
    {
        GrpcListen = new IPEndPoint(IPAddress.Loopback, 0),
        ServingCertificate = () => _certificate.Certificate,
        WatcherCa = _certificate.Ca,
    };

    [Fact]
    public async Task A_gRPC_cluster_is_answered_over_gRPC_and_its_mailbox_is_left_unanswered()
    {
        await using var host = await RegistrarHost.StartAsync(WithListener());
        using var watch = host.Status.Subscribe();
        await using var grpc = new GrpcAgentChannel(host.GrpcAddress!, _certificate.Ca);
        var overGrpc = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var overMailbox = await _world.LaunchAsync(InstanceRole.Etcd, 1);

        await grpc.JoinAsync(overGrpc, overGrpc.Join());
        var request = new MailboxRequest { RequestId = "join-1", Join = overMailbox.Join() };
        await _world.Store.PutAsync(MailboxKeys.Request(overMailbox.InstanceId, "join-1"), request.ToByteArray());
        await Task.Delay(Options().PollInterval * 10);

        Assert.Null(await _world.Store.GetAsync(MailboxKeys.Response(overMailbox.InstanceId, "join-1")));
        Assert.Equal([overGrpc.InstanceId], host.Status.Snapshot().Select(s => s.InstanceId));
    }

    [Fact]
    public async Task A_mailbox_cluster_is_answered_through_the_mailbox_and_refuses_agents_over_gRPC()
    {
        UseAgentChannel(AgentChannel.S3);
        await using var host = await RegistrarHost.StartAsync(WithListener());
        await using var grpc = new GrpcAgentChannel(host.GrpcAddress!, _certificate.Ca);
        var overGrpc = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var overMailbox = await _world.LaunchAsync(InstanceRole.Etcd, 1);

        var refusal = await Assert.ThrowsAsync<ChannelRefusedException>(() => grpc.JoinAsync(overGrpc, overGrpc.Join()));
        Assert.Equal(global::Grpc.Core.StatusCode.FailedPrecondition, refusal.Code);
        Assert.Contains("agentChannel: s3", refusal.Detail);
        var request = new MailboxRequest { RequestId = "join-1", Join = overMailbox.Join() };
        await _world.Store.PutAsync(MailboxKeys.Request(overMailbox.InstanceId, "join-1"), request.ToByteArray());
        var response = await MailboxAgentChannel.AwaitResponseAsync(_world.Store, overMailbox.InstanceId, "join-1");

        Assert.Equal(MailboxResponse.BodyOneofCase.Join, response.BodyCase);
        Assert.Equal([overMailbox.InstanceId], host.Status.Snapshot().Select(s => s.InstanceId));
    }

    [Fact]
    public async Task Without_a_listener_the_host_serves_the_mailbox_only()
    {
        UseAgentChannel(AgentChannel.S3);
        await using var host = await RegistrarHost.StartAsync(Options());
        Assert.Null(host.GrpcAddress);
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 2);
        var request = new MailboxRequest { RequestId = "r", Join = agent.Join() };
        await _world.Store.PutAsync(MailboxKeys.Request(agent.InstanceId, "r"), request.ToByteArray());
        Assert.Equal(MailboxResponse.BodyOneofCase.Join, (await MailboxAgentChannel.AwaitResponseAsync(_world.Store, agent.InstanceId, "r")).BodyCase);
    }

    [Fact]
    public async Task A_listener_without_a_serving_certificate_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => RegistrarHost.StartAsync(Options() with
        {
            GrpcListen = new IPEndPoint(IPAddress.Loopback, 0),
        }));
    }
}
