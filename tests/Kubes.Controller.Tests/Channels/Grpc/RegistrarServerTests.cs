using System.Net;
using Grpc.Core;
using Grpc.Net.Client;
using Kubes.Controller.Channels.Grpc;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Channels.Grpc;

/// <summary>What only the gRPC channel does: the peer address check, TLS, its own limits (the watch stream: WatchTests).</summary>
public sealed class RegistrarServerTests : IAsyncLifetime
{
    private static readonly IPAddress Elsewhere = IPAddress.Parse("127.0.0.99");
    private readonly TempFolder _folder = new();
    private readonly ServingCertificate _certificate = ServingCertificate.ForLoopback();
    private RegistrarWorld _world = null!;
    private RegistrarServer _server = null!;
    private GrpcAgentChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
        _server = await RegistrarServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), () => _certificate.Certificate,
            _certificate.Ca, _world.Registrar, _world.Status);
        _channel = new GrpcAgentChannel(_server.Address, _certificate.Ca);
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _server.DisposeAsync();
        _world.Dispose();
        _certificate.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void The_server_reports_the_port_it_bound()
    {
        Assert.NotEqual(0, _server.EndPoint.Port);
        Assert.Equal($"https://127.0.0.1:{_server.EndPoint.Port}/", _server.Address.ToString());
    }

    [Fact]
    public async Task A_join_from_another_address_than_the_instances_is_refused_without_spending_the_token()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var impostor = agent with { Address = Elsewhere };

        var refusal = await Assert.ThrowsAsync<ChannelRefusedException>(() => _channel.JoinAsync(impostor, impostor.Join()));
        Assert.Equal(StatusCode.PermissionDenied, refusal.Code);
        Assert.Contains("came from 127.0.0.99", refusal.Detail);
        Assert.NotEmpty((await _channel.JoinAsync(agent, agent.Join())).AgentCredential);
    }

    [Fact]
    public async Task Certify_and_report_from_another_address_are_refused()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 1);
        var credential = (await _channel.JoinAsync(agent, agent.Join())).AgentCredential;
        var impostor = agent with { Address = Elsewhere };
        var (csr, key) = TestAgent.Csr("etcd-member/etcd-1");
        using var _ = key;

        var certify = await Assert.ThrowsAsync<ChannelRefusedException>(() => _channel.CertifyAsync(impostor, impostor.Certify(credential, csr)));
        var report = await Assert.ThrowsAsync<ChannelRefusedException>(() => _channel.ReportAsync(impostor, impostor.Report(credential, Phase.Ready)));
        Assert.Equal(StatusCode.PermissionDenied, certify.Code);
        Assert.Equal(StatusCode.PermissionDenied, report.Code);
        Assert.Empty(_world.Issuer.Issued);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_coordinators_CA_does_not_talk_to_it()
    {
        using var other = ServingCertificate.ForLoopback("some other CA");
        await using var untrusting = new GrpcAgentChannel(_server.Address, other.Ca);
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);

        var refusal = await Assert.ThrowsAsync<ChannelRefusedException>(() => untrusting.JoinAsync(agent, agent.Join()));
        Assert.Contains("SSL connection could not be established", refusal.Detail);
        Assert.NotEmpty((await _channel.JoinAsync(agent, agent.Join())).AgentCredential);
    }

    [Fact]
    public async Task Bytes_that_are_not_a_join_request_are_refused_and_the_server_carries_on()
    {
        var raw = new Method<byte[], byte[]>(MethodType.Unary, "kubes.v1.Registrar", "Join",
            Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));
        var channel = GrpcChannel.ForAddress(_server.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = GrpcAgentChannel.Pinned(_certificate.Ca) } },
        });
        using var _ = channel;

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.CreateCallInvoker().AsyncUnaryCall(raw, null, new CallOptions(), [0xff, 0xff, 0xff, 0x0f, 0x42]).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, error.StatusCode);

        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        Assert.NotEmpty((await _channel.JoinAsync(agent, agent.Join())).AgentCredential);
    }

    [Fact]
    public async Task A_taken_port_is_reported_with_the_next_step()
    {
        var error = await Assert.ThrowsAsync<IOException>(() => RegistrarServer.StartAsync(_server.EndPoint,
            () => _certificate.Certificate, _certificate.Ca, _world.Registrar, _world.Status));
        Assert.Contains("--listen", error.Message);
    }
}
