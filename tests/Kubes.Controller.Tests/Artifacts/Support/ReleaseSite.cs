using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Tests.Channels.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Artifacts.Support;

/// <summary>
/// An HTTPS file server on 127.0.0.1 with a CA of its own, standing where a mirror site (spec.artifacts.baseUrl)
/// would: files by path, changeable while it runs, and a count of the GETs each path got.
/// </summary>
public sealed class ReleaseSite : IAsyncDisposable
{
    private readonly ServingCertificate _certificate = ServingCertificate.ForLoopback("kubes test release site CA");
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _gets = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public X509Certificate2 Ca => _certificate.Ca;

    public static async Task<ReleaseSite> StartAsync()
    {
        var site = new ReleaseSite();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(site._certificate.Certificate)));
        site._app = builder.Build();
        site._app.Run(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            site._gets.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (!site._files.TryGetValue(path, out var content))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await context.Response.Body.WriteAsync(content);
        });
        await site._app.StartAsync();
        var address = site._app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        site.BaseUrl = address.TrimEnd('/') + "/";
        return site;
    }

    /// <summary>Serves <paramref name="content"/> where the mirror site keeps <paramref name="upstream"/>.</summary>
    public void Publish(Uri upstream, byte[] content) => _files[PathOf(upstream)] = content;

    public void Remove(Uri upstream) => _files.TryRemove(PathOf(upstream), out _);

    public int GetsOf(Uri upstream) => _gets.GetValueOrDefault(PathOf(upstream));

    public int TotalGets => _gets.Values.Sum();

    /// <summary>The CA as PEM in a file, for SSL_CERT_FILE.</summary>
    public string WriteCaPem(string folder)
    {
        var path = Path.Join(folder, "release-site-ca.pem");
        File.WriteAllText(path, Ca.ExportCertificatePem());
        return path;
    }

    /// <summary>A client that trusts this site's CA and nothing else, as SSL_CERT_FILE makes kubes do.</summary>
    public HttpClient TrustingClient() => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        },
    });

    private static string PathOf(Uri upstream) => $"/{upstream.Host}{upstream.AbsolutePath}";

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _certificate.Dispose();
    }
}
