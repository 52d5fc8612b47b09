using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Aws.LoadBalancing;

/// <summary>A network load balancer across <see cref="SubnetIds"/> (one per zone).</summary>
public sealed record CreateLoadBalancerRequest(string Name, IReadOnlyList<string> SubnetIds)
{
    public LoadBalancerScheme Scheme { get; init; } = LoadBalancerScheme.InternetFacing;
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];
    public IReadOnlyList<AwsTag> Tags { get; init; } = [];
}
