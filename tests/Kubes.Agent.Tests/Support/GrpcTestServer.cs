using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Tests.Support;

/// <summary>A real gRPC server over TLS on 127.0.0.1 serving the test registrar, sending its CA in the chain.</summary>
public sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, int port)
    {
        _app = app;
        Address = new Uri($"https://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public static async Task<GrpcTestServer> StartAsync(TestRegistrar registrar, X509Certificate2 serving, X509Certificate2 ca)
    {
        var port = FreePort.OnLoopback();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(registrar);
        var context = SslStreamCertificateContext.Create(serving, [ca], offline: true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions { ServerCertificateContext = context }),
            });
        }));
        var app = builder.Build();
        app.MapGrpcService<TestRegistrarService>();
        await app.StartAsync();
        return new GrpcTestServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
