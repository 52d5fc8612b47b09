namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>
/// How the load balancer checks a target. <see cref="Port"/> null means the traffic port; <see cref="Path"/> applies
/// to HTTP/HTTPS checks only (e.g. HTTPS on <c>/readyz</c> for kube-apiserver).
/// </summary>
public sealed record TargetGroupHealthCheck
{
    public string Protocol { get; init; } = "TCP";
    public string? Port { get; init; }
    public string? Path { get; init; }
    public int IntervalSeconds { get; init; } = 10;
    public int HealthyThreshold { get; init; } = 3;
    public int UnhealthyThreshold { get; init; } = 3;
}
