using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Resources;

/// <summary>The API endpoint: a network load balancer across every zone, never controller[0] alone.</summary>
public sealed record LoadBalancerResource(ResourceKey Key, string Name, bool Internal, IReadOnlyList<ResourceKey> Subnets,
    ResourceKey SecurityGroup, IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [.. Subnets, SecurityGroup];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("name", Name), new("type", "network"), new("scheme", Internal ? "internal" : "internet-facing"),
        new("subnets", string.Join(", ", Subnets)), new("securityGroup", SecurityGroup.ToString()),
    ];
}

public sealed record TargetGroupResource(ResourceKey Key, string Name, ResourceKey Vpc, int Port,
    IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Vpc];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("name", Name), new("protocol", "TCP"), new("port", $"{Port}"), new("healthCheck", $"TCP {Port}")];
}

public sealed record ListenerResource(ResourceKey Key, ResourceKey LoadBalancer, ResourceKey TargetGroup, int Port)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [LoadBalancer, TargetGroup];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("port", $"TCP {Port}"), new("forwardTo", TargetGroup.ToString())];
}

/// <summary>The controllers registered in the API target group.</summary>
public sealed record TargetRegistrationResource(ResourceKey Key, ResourceKey TargetGroup, IReadOnlyList<ResourceKey> Instances,
    int Port) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [TargetGroup, .. Instances];

    public override IReadOnlyList<ResourceProperty> Describe() => [new("targets", string.Join(", ", Instances))];
}
