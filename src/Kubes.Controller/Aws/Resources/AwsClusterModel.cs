using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Aws.Resources;

/// <summary>Turns a cluster's topology into the graph of AWS resources it consists of.</summary>
public static class AwsClusterModel
{
    public static readonly ResourceKey Vpc = new("vpc", "main");
    public static readonly ResourceKey InternetGateway = new("internet-gateway", "main");
    public static readonly ResourceKey StateBucket = new("bucket", "state");
    public static readonly ResourceKey ApiLoadBalancer = new("load-balancer", "api");
    public static readonly ResourceKey ApiTargetGroup = new("target-group", "api");
    public static readonly ResourceKey ApiListener = new("listener", "api");
    public static readonly ResourceKey ApiTargets = new("target-registration", "api");
    public static readonly ResourceKey NodeLaunchTemplate = new("launch-template", "node");
    public static readonly ResourceKey NodeGroup = new("autoscaling-group", "node");

    public static ResourceKey Subnet(ZoneNetwork zone, bool isPublic) =>
        new("subnet", $"{(isPublic ? "public" : "private")}-{zone.Zone}");

    public static ResourceKey NatGateway(ZoneNetwork zone) => new("nat-gateway", zone.Zone);
    public static ResourceKey ElasticIp(ZoneNetwork zone) => new("elastic-ip", $"nat-{zone.Zone}");
    public static ResourceKey PublicRoutes => new("route-table", "public");
    public static ResourceKey PrivateRoutes(ZoneNetwork zone) => new("route-table", $"private-{zone.Zone}");
    public static ResourceKey Role(InstanceRole role) => new("iam-role", role.TagValue());
    public static ResourceKey Profile(InstanceRole role) => new("instance-profile", role.TagValue());
    public static ResourceKey Instance(InstanceSlot slot) => new("instance", slot.Name);
    public static ResourceKey Volume(InstanceSlot slot) => new("volume", $"{slot.Name}-data");
    public static ResourceKey Attachment(InstanceSlot slot) => new("volume-attachment", $"{slot.Name}-data");

    /// <summary>Where a slot's data volume appears on its instance (/dev/nvme1n1 on Nitro; the agent finds it by volume id).</summary>
    public const string DataVolumeDevice = "/dev/xvdf";

    public static IReadOnlyList<DesiredResource> Build(ClusterTopology topology, StateStoreLocation state)
    {
        var spec = topology.Spec;
        var cluster = spec.Name;
        var resources = new List<DesiredResource>();
        IReadOnlyDictionary<string, string> Tags(ResourceKey key, InstanceSlot? slot = null) =>
            ClusterTags.For(cluster, key, slot);
        IReadOnlyDictionary<string, string> OwnedTags(ResourceKey key, InstanceSlot? slot = null) =>
            new Dictionary<string, string>(ClusterTags.For(cluster, key, slot)) { [ClusterTags.KubernetesOwnership(cluster)] = "owned" };

        resources.Add(new StateBucketResource(StateBucket, state.Bucket, Tags(StateBucket)));
        resources.Add(new VpcResource(Vpc, spec.Network.VpcCidr, OwnedTags(Vpc)));
        resources.Add(new InternetGatewayResource(InternetGateway, Vpc, Tags(InternetGateway)));

        foreach (var zone in topology.Zones)
        {
            var publicSubnet = Subnet(zone, isPublic: true);
            var privateSubnet = Subnet(zone, isPublic: false);
            resources.Add(new SubnetResource(publicSubnet, Vpc, zone.PublicSubnet.ToString(), zone.Zone, true,
                new Dictionary<string, string>(OwnedTags(publicSubnet)) { ["kubernetes.io/role/elb"] = "1" }));
            resources.Add(new SubnetResource(privateSubnet, Vpc, zone.PrivateSubnet.ToString(), zone.Zone, false,
                new Dictionary<string, string>(OwnedTags(privateSubnet)) { ["kubernetes.io/role/internal-elb"] = "1" }));
        }

        var natZones = spec.Network.NatGateways == NatGatewayMode.PerZone ? topology.Zones : [topology.Zones[0]];
        foreach (var zone in natZones)
        {
            resources.Add(new ElasticIpResource(ElasticIp(zone), Tags(ElasticIp(zone))));
            resources.Add(new NatGatewayResource(NatGateway(zone), Subnet(zone, true), ElasticIp(zone), InternetGateway,
                Tags(NatGateway(zone))));
        }
        resources.Add(new RouteTableResource(PublicRoutes, Vpc, InternetGateway,
            [.. topology.Zones.Select(z => Subnet(z, true))], Tags(PublicRoutes)));
        foreach (var zone in topology.Zones)
        {
            var nat = spec.Network.NatGateways == NatGatewayMode.PerZone ? NatGateway(zone) : NatGateway(topology.Zones[0]);
            resources.Add(new RouteTableResource(PrivateRoutes(zone), Vpc, nat, [Subnet(zone, false)], Tags(PrivateRoutes(zone))));
        }

        foreach (var (group, rules) in SecurityGroupRules.For(spec).OrderBy(g => g.Key))
        {
            resources.Add(new SecurityGroupResource(group, $"{cluster}-{group.Name}", $"kubes {cluster}: {group.Name}", Vpc,
                OwnedTags(group)));
            resources.Add(new SecurityGroupRulesResource(SecurityGroupRules.Rules(group), group, rules));
        }

        var roles = topology.Roles.ToList();
        foreach (var role in roles)
        {
            resources.Add(new IamRoleResource(Role(role), IamName(cluster, role), IamPath(cluster),
                IamPolicies.AssumeRoleForEc2, $"kubes-{role.TagValue()}",
                IamPolicies.For(role, cluster, state.Bucket, state.Prefix), Tags(Role(role))));
            resources.Add(new InstanceProfileResource(Profile(role), IamName(cluster, role), IamPath(cluster), Role(role),
                Tags(Profile(role))));
        }

        var controllerInstances = new List<ResourceKey>();
        foreach (var slot in topology.Slots)
        {
            var instance = Instance(slot);
            var after = new List<ResourceKey>();
            // etcd members come first: controllers need a quorum to start, and NAT before anything private
            // that downloads its agent.
            if (!slot.Public)
                after.Add(spec.Network.NatGateways == NatGatewayMode.PerZone ? NatGateway(slot.Zone) : NatGateway(topology.Zones[0]));
            after.Add(StateBucket);
            resources.Add(new InstanceResource(instance, slot, Subnet(slot.Zone, slot.Public),
                SecurityGroupRules.Group(slot.Role), Profile(slot.Role), after, OwnedTags(instance, slot)));
            if (slot.HasDataVolume)
            {
                resources.Add(new DataVolumeResource(Volume(slot), slot, slot.DataVolumeSizeGiB, OwnedTags(Volume(slot), slot)));
                resources.Add(new VolumeAttachmentResource(Attachment(slot), Volume(slot), instance, DataVolumeDevice));
            }
            if (slot.Role == InstanceRole.Controller) controllerInstances.Add(instance);
        }

        if (topology.NodeGroup is { } nodeGroup)
        {
            resources.Add(new LaunchTemplateResource(NodeLaunchTemplate, $"{cluster}-node", nodeGroup.Prototype,
                SecurityGroupRules.Group(InstanceRole.Node), Profile(InstanceRole.Node), OwnedTags(NodeLaunchTemplate)));
            resources.Add(new AutoScalingGroupResource(NodeGroup, $"{cluster}-node", NodeLaunchTemplate,
                [.. topology.Zones.Select(z => Subnet(z, false))], nodeGroup.Min, nodeGroup.Max, nodeGroup.Desired,
                // The role propagates to every instance the group launches: the registrar checks it.
                new Dictionary<string, string>(OwnedTags(NodeGroup)) { [ClusterTags.Role] = InstanceRole.Node.TagValue() }));
        }

        resources.Add(new LoadBalancerResource(ApiLoadBalancer, LoadBalancerName(cluster), Internal: true,
            [.. topology.Zones.Select(z => Subnet(z, false))], SecurityGroupRules.ApiLoadBalancer, Tags(ApiLoadBalancer)));
        resources.Add(new TargetGroupResource(ApiTargetGroup, LoadBalancerName(cluster), Vpc, SecurityGroupRules.ApiServerPort,
            Tags(ApiTargetGroup)));
        resources.Add(new ListenerResource(ApiListener, ApiLoadBalancer, ApiTargetGroup, SecurityGroupRules.ApiServerPort));
        resources.Add(new TargetRegistrationResource(ApiTargets, ApiTargetGroup, controllerInstances,
            SecurityGroupRules.ApiServerPort));
        return resources;
    }

    public static string IamPath(string cluster) => $"/kubes/{cluster}/";

    public static string IamName(string cluster, InstanceRole role) => $"kubes-{cluster}-{role.TagValue()}";

    /// <summary>
    /// ELB names are at most 32 characters. A longer cluster name keeps a prefix and gains a hash of the whole name,
    /// so two clusters whose names share a long prefix never share a load balancer.
    /// </summary>
    public static string LoadBalancerName(string cluster)
    {
        var name = $"kubes-{cluster}-api";
        if (name.Length <= MaxLoadBalancerName) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster)))[..8];
        return $"kubes-{cluster[..16].TrimEnd('-')}-{hash}";
    }

    private const int MaxLoadBalancerName = 32;
}
