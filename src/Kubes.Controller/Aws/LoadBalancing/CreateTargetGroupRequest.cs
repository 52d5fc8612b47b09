using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>A target group in <see cref="VpcId"/>; by default TCP, instance targets, TCP health check on the traffic port.</summary>
public sealed record CreateTargetGroupRequest(string Name, string VpcId, int Port)
{
    public string Protocol { get; init; } = "TCP";
    public TargetType TargetType { get; init; } = TargetType.Instance;
    public TargetGroupHealthCheck HealthCheck { get; init; } = new();
    public IReadOnlyList<AwsTag> Tags { get; init; } = [];
}
