using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server.Model;
using Kubes.Controller.Registrar;
using Kubes.Controller.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Channels.Grpc;

/// <summary>
/// The registrar's gRPC endpoint: Kestrel, HTTP/2 over TLS with the coordinator's serving
/// certificate, hostable in-process (by <c>kubes serve</c>, <c>kubes up --local</c> and tests).
/// Clients may present a certificate (agents do not); only Watch asks for one, see <see cref="WatchAuthorization"/>.
/// A call that ends refused is logged once, briefly and rate-limited (<see cref="RefusalLogging"/>); gRPC's own log
/// lines for it (Information, with stack traces) are left to the logger's configuration to drop.
/// </summary>
public sealed class RegistrarServer : IAsyncDisposable
{
    /// <summary>Kestrel's own bound on a request body; gRPC's message limit below it answers first.</summary>
    private const long MaxRequestBodyBytes = 4L * RegistrarLimits.MaxRequestBytes;

    private readonly WebApplication _app;

    private RegistrarServer(WebApplication app, IPEndPoint endPoint)
    {
        _app = app;
        EndPoint = endPoint;
    }

    /// <summary>The address the server listens on (the real port when asked for port 0).</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>https://address:port, for a gRPC client.</summary>
    public Uri Address => new($"https://{EndPoint}");

    public static async Task<RegistrarServer> StartAsync(
        IPEndPoint listen,
        Func<X509Certificate2> servingCertificate,
        X509Certificate2 watcherCa,
        AgentRegistrar registrar,
        StatusHub status,
        ILoggerFactory? loggers = null,
        CancellationToken cancellationToken = default)
    {
        if (servingCertificate() is { HasPrivateKey: false } withoutKey)
        {
            throw new ArgumentException(
                $"The serving certificate {withoutKey.Subject} has no private key; the coordinator cannot serve TLS with it.",
                nameof(servingCertificate));
        }
        // Asking for a client certificate makes the server name the CAs it accepts; by default that is every CA of the
        // machine's trust store, looked up and sent in every handshake. Only the Kubernetes CA issues watchers.
        var contexts = new ServingContexts(servingCertificate, watcherCa);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddSingleton(loggers ?? NullLoggerFactory.Instance);
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Listen(listen, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http2;
                endpoint.UseHttps(new HttpsConnectionAdapterOptions
                {
                    // Replaced at every handshake by the current certificate's context (OnAuthenticate): a renewed
                    // certificate serves new connections at once.
                    ServerCertificate = servingCertificate(),
                    // Asked for during the handshake (HTTP/2 cannot renegotiate) and judged per call by
                    // WatchAuthorization; Join, Certify and Report identify the agent otherwise.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                    OnAuthenticate = (_, ssl) => ssl.ServerCertificateContext = contexts.Current(),
                });
            });
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = RegistrarLimits.MaxRequestBytes;
            grpc.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton(registrar);
        builder.Services.AddSingleton(status);
        builder.Services.AddSingleton(new WatchAuthorization(watcherCa));
        builder.Services.AddSingleton(new GrpcAgentCalls(registrar.Topology.Spec.AgentChannel));
        builder.Services.AddSingleton(new RefusalLog((loggers ?? NullLoggerFactory.Instance).CreateLogger<RegistrarServer>()));
        builder.Services.AddSingleton<IServiceMethodProvider<RegistrarGrpcService>, RegistrarMethods>();

        var app = builder.Build();
        app.UseMiddleware<RefusalLogging>();
        app.MapGrpcService<RegistrarGrpcService>();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new IOException($"Cannot listen on {listen}: {e.Message}. Pick another address with --listen.", e);
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Select(a => new Uri(a)).First();
        return new RegistrarServer(app, new IPEndPoint(listen.Address, bound.Port));
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Completes when the server stops (host shutdown or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>
    /// The TLS context of the serving certificate, built once per certificate (a renewal makes a new one): it names only
    /// the Kubernetes CA to clients, where the default would look up and send every CA of the machine's trust store in
    /// every handshake.
    /// </summary>
    private sealed class ServingContexts(Func<X509Certificate2> certificate, X509Certificate2 watcherCa)
    {
        private (X509Certificate2 Certificate, SslStreamCertificateContext Context)? _current;

        public SslStreamCertificateContext Current()
        {
            var serving = certificate();
            var current = _current;
            if (current is { } known && ReferenceEquals(known.Certificate, serving)) return known.Context;
            var context = SslStreamCertificateContext.Create(serving, additionalCertificates: null, offline: true,
                SslCertificateTrust.CreateForX509Collection([watcherCa], sendTrustInHandshake: true));
            _current = (serving, context);
            return context;
        }
    }
}
