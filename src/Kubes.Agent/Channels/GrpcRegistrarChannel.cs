using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Kubes.Agent.Tls;
using Kubes.Protos;
using Kubes.Protos.V1;

namespace Kubes.Agent.Channels;

/// <summary>
/// The conversation as gRPC calls to <c>kubes serve</c> over TLS, trusting only the coordinator CA whose
/// certificate hash agent.json pins, and of the servers that CA signs only the coordinator.
/// </summary>
public sealed class GrpcRegistrarChannel : IRegistrarChannel, IDisposable
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly Uri _address;
    private readonly PinnedRootValidator _validator;
    private readonly GrpcChannel _channel;
    private readonly Registrar.RegistrarClient _client;

    /// <param name="coordinatorCa">The pinned CA, when agent.json carries it; .NET servers do not send their root.</param>
    /// <param name="sourceAddress">The instance's private address: connections leave from it, because the registrar
    /// accepts an instance only from its own address (on a host with many instance addresses, such as the local
    /// provider's loopback instances, the kernel would otherwise pick another one).</param>
    public GrpcRegistrarChannel(Uri address, byte[] coordinatorCaSha256, X509Certificate2? coordinatorCa = null,
        Func<CancellationToken, Task<IPAddress?>>? sourceAddress = null)
    {
        _address = address;
        _validator = PinnedRootValidator.ForPin(coordinatorCaSha256, CoordinatorIdentity.CommonName, coordinatorCa);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
            SslOptions = { RemoteCertificateValidationCallback = _validator.Validate },
        };
        if (sourceAddress is not null) handler.ConnectCallback = (context, ct) => ConnectFromAsync(sourceAddress, context, ct);
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _client = new Registrar.RegistrarClient(_channel);
    }

    private static async ValueTask<Stream> ConnectFromAsync(Func<CancellationToken, Task<IPAddress?>> sourceAddress,
        SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (await sourceAddress(cancellationToken) is { } local) socket.Bind(new IPEndPoint(local, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) =>
        CallAsync("Join", o => _client.JoinAsync(request, o).ResponseAsync, cancellationToken);

    public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) =>
        CallAsync("Certify", o => _client.CertifyAsync(request, o).ResponseAsync, cancellationToken);

    public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
        CallAsync("Report", o => _client.ReportAsync(request, o).ResponseAsync, cancellationToken);

    private async Task<T> CallAsync<T>(string method, Func<CallOptions, Task<T>> call, CancellationToken cancellationToken)
    {
        var options = new CallOptions(deadline: DateTime.UtcNow.Add(CallTimeout), cancellationToken: cancellationToken);
        try
        {
            return await call(options);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (RpcException e)
        {
            var detail = _validator.LastFailure is { } tls
                ? $"TLS: {tls}. Check coordinatorCaSha256 in agent.json against the coordinator's CA."
                : e.Status.Detail;
            throw RegistrarStatus.ToException(e.StatusCode, detail, $"gRPC {method} to {_address}", e);
        }
    }

    public void Dispose() => _channel.Dispose();
}
