using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Resources;

public sealed record VpcResource(ResourceKey Key, string CidrBlock, IReadOnlyDictionary<string, string> Tags)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("cidr", CidrBlock), new("dnsSupport", "true"), new("dnsHostnames", "true")];
}

public sealed record SubnetResource(ResourceKey Key, ResourceKey Vpc, string CidrBlock, string Zone, bool Public,
    IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Vpc];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("vpc", Vpc.ToString()), new("cidr", CidrBlock), new("zone", Zone), new("public", Public ? "true" : "false")];
}

public sealed record InternetGatewayResource(ResourceKey Key, ResourceKey Vpc, IReadOnlyDictionary<string, string> Tags)
    : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Vpc];

    public override IReadOnlyList<ResourceProperty> Describe() => [new("attachedTo", Vpc.ToString())];
}

public sealed record ElasticIpResource(ResourceKey Key, IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [];

    public override IReadOnlyList<ResourceProperty> Describe() => [new("domain", "vpc")];
}

public sealed record NatGatewayResource(ResourceKey Key, ResourceKey Subnet, ResourceKey ElasticIp,
    ResourceKey InternetGateway, IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Subnet, ElasticIp, InternetGateway];

    public override IReadOnlyList<ResourceProperty> Describe() =>
        [new("subnet", Subnet.ToString()), new("elasticIp", ElasticIp.ToString())];
}

/// <summary>A default route (0.0.0.0/0) to an internet or NAT gateway.</summary>
public sealed record RouteTableResource(ResourceKey Key, ResourceKey Vpc, ResourceKey DefaultRouteTarget,
    IReadOnlyList<ResourceKey> Subnets, IReadOnlyDictionary<string, string> Tags) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => [Vpc, DefaultRouteTarget, .. Subnets];

    public override IReadOnlyList<ResourceProperty> Describe() =>
    [
        new("vpc", Vpc.ToString()),
        new("route 0.0.0.0/0", DefaultRouteTarget.ToString()),
        new("subnets", string.Join(", ", Subnets)),
    ];
}
