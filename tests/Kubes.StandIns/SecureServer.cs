using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kubes.StandIns.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Kubes.StandIns;

/// <summary>
/// The HTTPS port a component serves (Kestrel, HTTP/1.1 and HTTP/2): its serving certificate and chain, its TLS
/// settings, and client certificates asked for but left to <paramref name="handler"/> to judge, as Kubernetes
/// servers do (a certificate from an unknown CA is refused with 401, not at the handshake).
/// </summary>
public static class SecureServer
{
    public static async Task<WebApplication> StartAsync(string bindAddress, int port, X509Certificate2 serving,
        IReadOnlyList<X509Certificate2> chain, TlsSettings tls, RequestDelegate handler, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(bindAddress, out var address))
            throw new StandInException($"--bind-address {bindAddress} is not an IP address");
        return await ServeAsync($"{bindAddress}:{port} (--bind-address, --secure-port)", kestrel => kestrel.Listen(address, port, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serving;
            https.ServerCertificateChain = [.. chain.Skip(1)];
            https.SslProtocols = tls.Protocols;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
            if (tls.CipherSuites is { } suites) https.OnAuthenticate = (_, options) => options.CipherSuitesPolicy = suites;
        })), handler, cancellationToken);
    }

    /// <summary>A plain-HTTP health port (the kubelet's 10248 on loopback, kube-proxy's healthz), as the real ones serve them.</summary>
    public static Task<WebApplication> StartHttpAsync(string flag, IPEndPoint endpoint, RequestDelegate handler, CancellationToken cancellationToken) =>
        ServeAsync($"{endpoint} ({flag})", kestrel => kestrel.Listen(endpoint), handler, cancellationToken);

    private static async Task<WebApplication> ServeAsync(string where, Action<KestrelServerOptions> listen, RequestDelegate handler,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(listen);
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw new StandInException($"cannot serve on {where}: {e.Message}");
        }

        return app;
    }

    /// <summary>A Kubernetes Status object, as the API answers a refusal.</summary>
    public static Task WriteStatusAsync(HttpContext context, int code, string reason, string message)
    {
        context.Response.StatusCode = code;
        return context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new Dictionary<string, object>(), ["status"] = "Failure",
            ["message"] = message, ["reason"] = reason, ["code"] = code,
        });
    }
}
