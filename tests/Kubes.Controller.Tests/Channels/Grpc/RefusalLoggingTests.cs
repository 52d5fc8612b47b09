using System.Net;
using Grpc.Core;
using Kubes.Controller.Channels.Grpc;
using Kubes.Controller.Cli.Commands;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Channels.Grpc;

/// <summary>
/// From an attacker's side: malformed messages to a coordinator that logs as <c>kubes serve</c> does. Each is refused
/// InvalidArgument, and the log stays a few short lines that name the peer, with no stack trace.
/// </summary>
public sealed class RefusalLoggingTests : IAsyncLifetime
{
    private static readonly Method<byte[], byte[]> RawJoin = new(MethodType.Unary, "kubes.v1.Registrar", "Join",
        Marshallers.Create(bytes => bytes, bytes => bytes), Marshallers.Create(bytes => bytes, bytes => bytes));

    private readonly TempFolder _folder = new();
    private readonly ServingCertificate _certificate = ServingCertificate.ForLoopback();
    private RegistrarWorld _world = null!;
    private Serilog.Extensions.Logging.SerilogLoggerFactory _loggers = null!;
    private RegistrarServer _server = null!;
    private GrpcAgentChannel _channel = null!;

    private string LogFile => Path.Join(_folder.Path, "serve.log");

    public async Task InitializeAsync()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(Path.Join(_folder.Path, "state")));
        _loggers = ServeLog.Create(LogFile);
        _server = await RegistrarServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), () => _certificate.Certificate,
            _certificate.Ca, _world.Registrar, _world.Status, _loggers);
        _channel = new GrpcAgentChannel(_server.Address, _certificate.Ca);
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _server.DisposeAsync();
        _loggers.Dispose();
        _world.Dispose();
        _certificate.Dispose();
        _folder.Dispose();
    }

    private async Task<RpcException> SendGarbageAsync(IPAddress from)
    {
        // Field 15 as a length-delimited field of 2^32 bytes: no protobuf parser accepts it.
        var garbage = new byte[] { 0x7A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00, 0x00 };
        return await Assert.ThrowsAsync<RpcException>(() =>
            _channel.InvokerFrom(from).AsyncUnaryCall(RawJoin, null, new CallOptions(), garbage).ResponseAsync);
    }

    private async Task<string[]> LogLinesAsync()
    {
        await _server.DisposeAsync();
        _loggers.Dispose(); // flushes
        return File.Exists(LogFile) ? await File.ReadAllLinesAsync(LogFile) : []; // created on its first line
    }

    [Fact]
    public async Task A_malformed_message_is_refused_as_invalid_argument_and_logged_as_one_line_naming_the_peer()
    {
        var refusal = await SendGarbageAsync(IPAddress.Parse("127.0.0.7"));

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Contains("not a JoinRequest", refusal.Status.Detail);
        var line = Assert.Single(await LogLinesAsync());
        Assert.True(line.Contains("from 127.0.0.7: InvalidArgument: the request is not a JoinRequest", StringComparison.Ordinal), line);
    }

    [Fact]
    public async Task A_burst_of_malformed_messages_leaves_the_log_bounded_and_every_line_names_the_peer()
    {
        var peers = new[] { IPAddress.Parse("127.0.0.7"), IPAddress.Parse("127.0.0.8") };
        const int PerPeer = 300;
        await Task.WhenAll(peers.Select(peer => Task.Run(async () =>
        {
            for (var i = 0; i < PerPeer; i++) Assert.Equal(StatusCode.InvalidArgument, (await SendGarbageAsync(peer)).StatusCode);
        })));

        var lines = await LogLinesAsync();
        Assert.Equal(peers.Length * RefusalLog.LinesPerPeerPerMinute, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"from 127\.0\.0\.[78]: InvalidArgument: ", line));
        Assert.True(new FileInfo(LogFile).Length < 300 * lines.Length, $"the log holds {new FileInfo(LogFile).Length} bytes");
    }

    [Fact]
    public async Task A_registrar_refusal_is_logged_once_not_again_by_the_channel()
    {
        var agent = await _world.LaunchAsync(Kubes.Controller.Topology.InstanceRole.Etcd, 0);
        await Assert.ThrowsAsync<ChannelRefusedException>(() => _channel.JoinAsync(agent, agent.Join(role: Kubes.Controller.Topology.InstanceRole.Node)));

        Assert.Empty(await LogLinesAsync()); // the registrar logs to its own logger, the world's
        Assert.True(_world.Log.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "claims role node"));
    }
}
