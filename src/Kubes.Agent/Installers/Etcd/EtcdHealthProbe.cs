using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Kubes.Agent.Tls;
using Kubes.Protos.V1;

namespace Kubes.Agent.Installers.Etcd;

/// <summary>
/// Asks the member itself: a TLS request to its <c>/health</c> with the member's client certificate,
/// trusting only the etcd CA. Healthy means etcd answered <c>"health":"true"</c> (it has a leader and a quorum).
/// </summary>
public sealed class EtcdHealthProbe(TimeProvider time)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<Health> CheckAsync(EtcdLayout layout, CancellationToken cancellationToken)
    {
        var url = $"{layout.ClientUrl}/health";
        try
        {
            using var ca = X509CertificateLoader.LoadCertificateFromFile(layout.CaFile);
            using var client = X509Certificate2.CreateFromPemFile(layout.CertificateFile, layout.KeyFile);
            var validator = PinnedRootValidator.ForRoot(ca);
            using var handler = new SocketsHttpHandler
            {
                ConnectTimeout = Timeout,
                SslOptions =
                {
                    ClientCertificates = new X509CertificateCollection { client },
                    RemoteCertificateValidationCallback = validator.Validate,
                },
            };
            using var http = new HttpClient(handler) { Timeout = Timeout };
            using var response = await http.GetAsync(url, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var healthy = response.IsSuccessStatusCode && ReportsHealthy(body);
            return Result(healthy, $"{url}: {(int)response.StatusCode} {body.Trim()}");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException
                                      or System.Security.Cryptography.CryptographicException && !cancellationToken.IsCancellationRequested)
        {
            return Result(false, $"{url}: {e.Message}{(e.InnerException is { } inner ? ": " + inner.Message : "")}");
        }
    }

    private static bool ReportsHealthy(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("health", out var health)
                   && health.ValueKind == JsonValueKind.String && health.GetString() == "true";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private Health Result(bool healthy, string detail) =>
        new() { Healthy = healthy, Detail = detail, CheckedAt = Timestamp.FromDateTimeOffset(time.GetUtcNow()) };
}
