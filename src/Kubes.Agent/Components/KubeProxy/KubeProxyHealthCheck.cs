using Kubes.Agent.Probes;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeProxy;

/// <summary>
/// Asks kube-proxy itself: its healthz on the node's address, which answers 200 once its rules are in sync with the API
/// (load balancers ask the same).
/// </summary>
public sealed class KubeProxyHealthCheck(HttpHealthProbe probe)
{
    public async Task<ComponentHealth> CheckAsync(KubeProxyLayout layout, CancellationToken cancellationToken)
    {
        var answer = await probe.GetAsync(new Uri($"http://{layout.Address}:{Ports.KubeProxyHealth}/healthz"), cancellationToken);
        return new ComponentHealth { Component = ComponentNames.KubeProxy, Healthy = answer.IsSuccess, Detail = answer.Detail };
    }
}
