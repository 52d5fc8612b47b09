using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.StandIns.Tests.Support;

/// <summary>An HTTPS client for a stand-in's port: trusts only the given CA, presents the given client certificate.</summary>
public static class HttpsProbe
{
    public static HttpClient Client(string caFile, string? certificateFile = null, string? keyFile = null)
    {
        var ca = new X509Certificate2Collection();
        ca.ImportFromPemFile(caFile);
        var options = new SslClientAuthenticationOptions { CertificateChainPolicy = Kubes.StandIns.Files.Pem.TrustOnly(ca) };
        if (certificateFile is not null)
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
            options.ClientCertificates = [X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null)];
        }

        return new HttpClient(new SocketsHttpHandler { SslOptions = options }) { Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>A client that takes any server certificate: for the health ports of components that serve their own.</summary>
    public static HttpClient AnyServer() => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    }) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>Asks until <paramref name="until"/> holds for the answer (or 30 s pass): status and body of the last answer.</summary>
    public static async Task<(int Status, string Body)> WaitAsync(HttpClient client, Uri url, Func<int, bool> until, StandInProgram? program = null)
    {
        var last = (Status: 0, Body: "");
        for (var attempt = 0; attempt < 60; attempt++)
        {
            try
            {
                using var response = await client.GetAsync(url);
                last = ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
                if (until(last.Status)) return last;
            }
            catch (HttpRequestException e)
            {
                last = (0, e.Message);
            }

            if (program is { HasExited: true }) break;
            await Task.Delay(500);
        }

        throw new TimeoutException($"GET {url}: last answer {last.Status} {last.Body}\n{program?.Output}");
    }
}
