using Kubes.Agent.Probes;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>
/// Asks the apiserver itself, on the address it binds to, as a load balancer does: <c>/livez</c> and <c>/readyz</c> over
/// TLS, trusting only the Kubernetes CA, without a client certificate (anonymous requests may reach exactly these). Healthy
/// when both answer <c>ok</c>; ready means its etcd answers and its informers have synced.
/// </summary>
public sealed class KubeApiServerHealthCheck(HttpsHealthProbe probe)
{
    public async Task<ComponentHealth> CheckAsync(KubeApiServerLayout layout, CancellationToken cancellationToken)
    {
        var live = await probe.GetAsync(new HttpsProbeTarget(new Uri(layout.LocalUrl, "livez"), layout.ClientCaFile), cancellationToken);
        if (!Ok(live))
        {
            return new ComponentHealth { Component = ComponentNames.KubeApiServer, Healthy = false, Detail = live.Detail };
        }

        var ready = await probe.GetAsync(new HttpsProbeTarget(new Uri(layout.LocalUrl, "readyz"), layout.ClientCaFile), cancellationToken);
        return new ComponentHealth { Component = ComponentNames.KubeApiServer, Healthy = Ok(ready), Detail = ready.Detail };
    }

    private static bool Ok(ProbeAnswer answer) => answer.IsSuccess && answer.Body.Trim() == "ok";
}
