using Grpc.Core;
using Kubes.Controller.Registrar;
using Kubes.Controller.Status;
using Kubes.Protos.V1;
using Microsoft.Extensions.Hosting;

namespace Kubes.Controller.Channels.Grpc;

/// <summary>
/// The registrar over gRPC (its methods bound by <see cref="RegistrarMethods"/>). The peer address comes from the TCP
/// connection, never from the message; refusals become the call's status with the registrar's message. Agents are
/// answered only when the cluster's agents use gRPC; Watch is served either way.
/// </summary>
internal sealed class RegistrarGrpcService
{
    private readonly AgentRegistrar _registrar;
    private readonly StatusHub _status;
    private readonly WatchAuthorization _watchers;
    private readonly GrpcAgentCalls _agentCalls;
    private readonly IHostApplicationLifetime _lifetime;

    public RegistrarGrpcService(AgentRegistrar registrar, StatusHub status, WatchAuthorization watchers, GrpcAgentCalls agentCalls,
        IHostApplicationLifetime lifetime)
    {
        _registrar = registrar;
        _status = status;
        _watchers = watchers;
        _agentCalls = agentCalls;
        _lifetime = lifetime;
    }

    public Task<JoinResponse> Join(JoinRequest request, ServerCallContext context) =>
        Answer(context, () => _registrar.JoinAsync(request, PeerOf(context), context.CancellationToken));

    public Task<CertifyResponse> Certify(CertifyRequest request, ServerCallContext context) =>
        Answer(context, () => _registrar.CertifyAsync(request, PeerOf(context), context.CancellationToken));

    public Task<ReportResponse> Report(ReportRequest request, ServerCallContext context) =>
        Answer(context, () => _registrar.ReportAsync(request, PeerOf(context), context.CancellationToken));

    public async Task Watch(WatchRequest request, IServerStreamWriter<WatchEvent> responseStream,
        ServerCallContext context)
    {
        var connection = context.GetHttpContext().Connection;
        _watchers.Check(connection.ClientCertificate);

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

    private async Task<T> Answer<T>(ServerCallContext context, Func<Task<T>> call)
    {
        if (_agentCalls.Refusal is { } refused) throw new RpcException(new global::Grpc.Core.Status(StatusCode.FailedPrecondition, refused));
        try
        {
            return await call();
        }
        catch (RegistrationRefusedException refusal)
        {
            context.GetHttpContext().Items[RefusalLogging.LoggedItem] = true; // the registrar logged it
            throw new RpcException(new global::Grpc.Core.Status(refusal.Code, refusal.Message));
        }
    }
}
