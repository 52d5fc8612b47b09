using Kubes.Agent.Probes;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components;

/// <summary>
/// Asks kube-controller-manager or kube-scheduler itself: <c>/healthz</c> on its secure port, on loopback. Both serve a
/// certificate they make for themselves at start, which no CA signs: the probe takes it because the connection never
/// leaves the instance (<see cref="HttpsProbeTarget.OnLoopback"/>). Healthy when the answer is <c>ok</c>.
/// </summary>
public sealed class ControlPlaneHealthz(HttpsHealthProbe probe)
{
    public async Task<ComponentHealth> CheckAsync(string component, int port, CancellationToken cancellationToken)
    {
        var answer = await probe.GetAsync(HttpsProbeTarget.OnLoopback(new Uri($"https://127.0.0.1:{port}/healthz")), cancellationToken);
        return new ComponentHealth { Component = component, Healthy = answer.IsSuccess && answer.Body.Trim() == "ok", Detail = answer.Detail };
    }
}
