using Kubes.Agent.Probes;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Kubelet;

/// <summary>
/// Asks the kubelet itself: its healthz endpoint, on the instance's own loopback (plain HTTP, never off the host), as
/// kubeadm does. Healthy means <c>ok</c>; whether the Node is Ready is the API's to say (kubes status shows both).
/// </summary>
public sealed class KubeletHealthCheck(HttpHealthProbe probe)
{
    public const int HealthzPort = 10248;

    public async Task<ComponentHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var answer = await probe.GetAsync(new Uri($"http://127.0.0.1:{HealthzPort}/healthz"), cancellationToken);
        return new ComponentHealth
        {
            Component = ComponentNames.Kubelet,
            Healthy = answer.IsSuccess && answer.Body.Trim() == "ok",
            Detail = answer.Detail,
        };
    }
}
