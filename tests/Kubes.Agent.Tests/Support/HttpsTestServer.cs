using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Tests.Support;

/// <summary>
/// A real HTTPS server on 127.0.0.1 (Kestrel) answering with a function of the request: a health endpoint as etcd or
/// kube-apiserver serve one. With a client CA it requires a client certificate signed by it.
/// </summary>
public sealed class HttpsTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpsTestServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public Uri Url(string path) => new($"https://127.0.0.1:{Port}{path}");

    /// <summary>The subject of the client certificate of each request, or "" for a request without one.</summary>
    public List<string> ClientSubjects { get; } = [];

    public static async Task<HttpsTestServer> StartAsync(X509Certificate2 serving, X509Certificate2? clientCa,
        Func<HttpContext, Task> handler)
    {
        var port = FreePort.OnLoopback();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serving;
            https.ClientCertificateMode = clientCa is null ? ClientCertificateMode.AllowCertificate : ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) => clientCa is null || SignedBy(certificate, clientCa);
        })));
        var app = builder.Build();
        var server = new HttpsTestServer(app, port);
        app.Run(async context =>
        {
            lock (server.ClientSubjects)
            {
                server.ClientSubjects.Add(context.Connection.ClientCertificate?.Subject ?? "");
            }

            await handler(context);
        });
        await app.StartAsync();
        return server;
    }

    private static bool SignedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
