using System.Net.Sockets;
using Grpc.Net.Client;

namespace Kubes.Agent.Components.Containerd.Cri;

/// <summary>
/// The CRI <c>RuntimeService</c> of a container runtime on its unix socket, as a kubelet reaches it: gRPC over HTTP/2
/// without TLS (the socket's permissions are its protection).
/// </summary>
public sealed class CriRuntimeClient : IDisposable
{
    /// <summary>The CRI version the agent speaks.</summary>
    public const string ApiVersion = "v1";

    private readonly GrpcChannel _channel;
    private readonly RuntimeService.RuntimeServiceClient _client;

    public CriRuntimeClient(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // The host name is never resolved: every connection goes to the socket.
        _channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _client = new RuntimeService.RuntimeServiceClient(_channel);
    }

    public async Task<VersionResponse> VersionAsync(CancellationToken cancellationToken) =>
        await _client.VersionAsync(new VersionRequest { Version = ApiVersion }, cancellationToken: cancellationToken);

    public async Task<StatusResponse> StatusAsync(CancellationToken cancellationToken) =>
        await _client.StatusAsync(new StatusRequest(), cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();
}
