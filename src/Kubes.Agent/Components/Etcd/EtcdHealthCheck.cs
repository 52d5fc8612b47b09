using System.Text.Json;
using Kubes.Agent.Probes;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Etcd;

/// <summary>
/// Asks the member itself: its <c>/health</c> over TLS with the member's client certificate, trusting only the etcd CA.
/// Healthy means etcd answered <c>"health":"true"</c> (it has a leader and a quorum).
/// </summary>
public sealed class EtcdHealthCheck(HttpsHealthProbe probe)
{
    public async Task<ComponentHealth> CheckAsync(EtcdLayout layout, CancellationToken cancellationToken)
    {
        var answer = await probe.GetAsync(
            new HttpsProbeTarget(new Uri($"{layout.ClientUrl}/health"), layout.CaFile, layout.CertificateFile, layout.KeyFile),
            cancellationToken);
        return new ComponentHealth
        {
            Component = ComponentNames.Etcd,
            Healthy = answer.IsSuccess && ReportsHealthy(answer.Body),
            Detail = answer.Detail,
        };
    }

    private static bool ReportsHealthy(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("health", out var health)
                   && health.ValueKind == JsonValueKind.String && health.GetString() == "true";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
