using Grpc.Core;
using Kubes.Controller.Registrar;
using Kubes.Controller.Status;
using Kubes.Protos.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RegistrarContract = Kubes.Protos.V1.Registrar;

namespace Kubes.Controller.Channels.Grpc;

/// <summary>
/// The registrar over gRPC. The peer address comes from the TCP connection, never from the
/// message; refusals become the call's status with the registrar's message.
/// </summary>
internal sealed class RegistrarGrpcService : RegistrarContract.RegistrarBase
{
    private readonly AgentRegistrar _registrar;
    private readonly StatusHub _status;
    private readonly WatchAuthorization _watchers;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;

    public RegistrarGrpcService(AgentRegistrar registrar, StatusHub status, WatchAuthorization watchers,
        IHostApplicationLifetime lifetime, ILogger<RegistrarGrpcService> logger)
    {
        _registrar = registrar;
        _status = status;
        _watchers = watchers;
        _lifetime = lifetime;
        _logger = logger;
    }

    public override Task<JoinResponse> Join(JoinRequest request, ServerCallContext context) =>
        Answer(() => _registrar.JoinAsync(request, PeerOf(context), context.CancellationToken));

    public override Task<CertifyResponse> Certify(CertifyRequest request, ServerCallContext context) =>
        Answer(() => _registrar.CertifyAsync(request, PeerOf(context), context.CancellationToken));

    public override Task<ReportResponse> Report(ReportRequest request, ServerCallContext context) =>
        Answer(() => _registrar.ReportAsync(request, PeerOf(context), context.CancellationToken));

    public override async Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream,
        ServerCallContext context)
    {
        var connection = context.GetHttpContext().Connection;
        try
        {
            _watchers.Check(connection.ClientCertificate);
        }
        catch (RpcException refusal)
        {
            _logger.LogWarning("Refused a watch from {Peer}: {Code}: {Reason}",
                connection.RemoteIpAddress, refusal.StatusCode, refusal.Status.Detail);
            throw;
        }

        // A watch lasts until the watcher leaves, falls behind, or the server stops; stopping ends it cleanly.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(
            context.CancellationToken, _lifetime.ApplicationStopping);
        using var subscription = _status.Subscribe();
        try
        {
            await foreach (var change in subscription.Events.ReadAllAsync(watching.Token))
            {
                await responseStream.WriteAsync(change, watching.Token);
            }
        }
        catch (OperationCanceledException) when (_lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The server is stopping: end the stream with OK.
        }
        catch (Exception e) when (FellBehind(e) is { } behind)
        {
            _logger.LogWarning("Dropped the watch of {Peer}: {Reason}", connection.RemoteIpAddress, behind.Message);
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.ResourceExhausted, behind.Message));
        }
    }

    private static WatcherFellBehindException? FellBehind(Exception e) => e switch
    {
        WatcherFellBehindException behind => behind,
        System.Threading.Channels.ChannelClosedException { InnerException: WatcherFellBehindException behind } => behind,
        _ => null,
    };

    private static PeerInfo PeerOf(ServerCallContext context) =>
        context.GetHttpContext().Connection.RemoteIpAddress is { } address
            ? PeerInfo.From(address)
            : throw new RpcException(new global::Grpc.Core.Status(StatusCode.PermissionDenied,
                "the coordinator cannot tell which address this request came from, so it cannot check the instance"));

    private static async Task<T> Answer<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RegistrationRefusedException refusal)
        {
            throw new RpcException(new global::Grpc.Core.Status(refusal.Code, refusal.Message));
        }
    }
}
