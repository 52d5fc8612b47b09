using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Protos.V1;
using RegistrarContract = Kubes.Protos.V1.Registrar;

namespace Kubes.Controller.Tests.Channels.Grpc;

/// <summary>
/// A gRPC client that trusts only the given CA and connects from a chosen loopback address, so
/// each test agent talks from its instance's own private address.
/// </summary>
public sealed class GrpcAgentChannel : IAgentChannel
{
    private readonly Uri _address;
    private readonly X509Certificate2 _trustedCa;
    private readonly ConcurrentDictionary<IPAddress, GrpcChannel> _channels = new();

    public GrpcAgentChannel(Uri address, X509Certificate2 trustedCa)
    {
        _address = address;
        _trustedCa = trustedCa;
    }

    public RegistrarContract.RegistrarClient ClientFrom(IPAddress source) =>
        new(_channels.GetOrAdd(source, Open));

    /// <summary>For calls the generated client cannot make: raw bytes as a method's request.</summary>
    public CallInvoker InvokerFrom(IPAddress source) => _channels.GetOrAdd(source, Open).CreateCallInvoker();

    public Task<JoinResponse> JoinAsync(TestAgent agent, JoinRequest request) =>
        Call(() => ClientFrom(agent.Address).JoinAsync(request).ResponseAsync);

    public Task<CertifyResponse> CertifyAsync(TestAgent agent, CertifyRequest request) =>
        Call(() => ClientFrom(agent.Address).CertifyAsync(request).ResponseAsync);

    public Task<ReportResponse> ReportAsync(TestAgent agent, ReportRequest request) =>
        Call(() => ClientFrom(agent.Address).ReportAsync(request).ResponseAsync);

    public ValueTask DisposeAsync()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        return ValueTask.CompletedTask;
    }

    public static RemoteCertificateValidationCallback Pinned(X509Certificate2 ca) => (_, certificate, _, errors) =>
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    };

    private GrpcChannel Open(IPAddress source)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = { RemoteCertificateValidationCallback = Pinned(_trustedCa) },
        };
        return GrpcChannel.ForAddress(_address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e)
        {
            throw new ChannelRefusedException(e.StatusCode, e.Status.Detail);
        }
    }
}
