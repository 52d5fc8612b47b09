using System.Net;
using Kubes.Controller.Networking;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Topology;

/// <summary>
/// What the spec means on the ground: the zones with their subnets and every instance slot with
/// its zone and fixed address. Pure function of the spec, so plan, up, the PKI and the registrar agree.
/// </summary>
public sealed class ClusterTopology
{
    /// <summary>Offsets inside a subnet; AWS reserves the first four addresses.</summary>
    internal const uint EtcdOffset = 10;
    internal const uint ControllerOffset = 20;
    internal const uint BastionOffset = 10;
    /// <summary>Nodes are placed from here. Every instance gets an explicit address, so a subnet's automatic
    /// assignment can never hand a node the address an etcd member or controller slot owns.</summary>
    internal const uint NodeOffset = 100;

    private ClusterTopology(ClusterSpec spec, IReadOnlyList<ZoneNetwork> zones, IReadOnlyList<InstanceSlot> slots,
        NodeGroup? nodeGroup)
    {
        Spec = spec;
        Zones = zones;
        Slots = slots;
        NodeGroup = nodeGroup;
    }

    public ClusterSpec Spec { get; }
    public IReadOnlyList<ZoneNetwork> Zones { get; }
    /// <summary>The slots: one fixed place per instance. Nodes of an Auto Scaling group have none (<see cref="NodeGroup"/>).</summary>
    public IReadOnlyList<InstanceSlot> Slots { get; }

    /// <summary>The nodes as an Auto Scaling group (AWS, <c>nodes.autoScaling: true</c>); null when nodes have slots.</summary>
    public NodeGroup? NodeGroup { get; }

    /// <summary>Every role an instance of the cluster can have, slots and group alike.</summary>
    public IEnumerable<InstanceRole> Roles =>
        Slots.Select(s => s.Role).Concat(NodeGroup is null ? [] : [InstanceRole.Node]).Distinct();

    public Cidr VpcCidr => Cidr.Parse(Spec.Network.VpcCidr);

    /// <summary>The VPC's first addresses, which no slot takes: its router's, its resolver's, the local API endpoint's.</summary>
    public ReservedAddresses Reserved => ReservedAddresses.Of(VpcCidr);

    /// <summary>
    /// The VPC's DNS resolver, which AWS answers at its reserved address (the base plus two); null for the local
    /// provider, whose VPC has none (the address stays free for one).
    /// </summary>
    public IPAddress? VpcResolver => Spec.Provider == ProviderKind.Aws ? Reserved.Resolver : null;

    /// <summary>The cluster's private DNS domain: every slot is &lt;slot&gt;.&lt;domain&gt;.</summary>
    public string DnsDomain => $"{Spec.Name}.kubes.internal";

    /// <summary>The name of the load balancer in front of every controller.</summary>
    public string ApiEndpointName => $"api.{DnsDomain}";

    /// <summary>The first address of the service CIDR: the in-cluster kubernetes service.</summary>
    public IPAddress KubernetesServiceIp => Cidr.Parse(Spec.Network.ServiceCidr).AddressAt(1);

    /// <summary>The cluster DNS service's address: the service network's tenth, as kubeadm and kops choose it.</summary>
    public IPAddress ClusterDnsIp => Cidr.Parse(Spec.Network.ServiceCidr).AddressAt(10);

    /// <summary>The DNS domain of Services and pods inside the cluster.</summary>
    public const string ClusterDomain = "cluster.local";

    public IEnumerable<InstanceSlot> SlotsOf(InstanceRole role) => Slots.Where(s => s.Role == role);

    public InstanceSlot? FindSlot(InstanceRole role, int index) =>
        Slots.FirstOrDefault(s => s.Role == role && s.Index == index);

    public string FqdnOf(InstanceSlot slot) => $"{slot.Name}.{DnsDomain}";

    /// <summary>The default subnet layout cuts the VPC into 2^4 = 16 blocks.</summary>
    internal const int DerivedSubnetBits = 4;

    /// <summary>The default subnet layout: private blocks 0..2, public 8..10.</summary>
    public static Cidr DefaultPrivateSubnet(Cidr vpc, int zoneIndex) => vpc.Subnet(DerivedSubnetBits, zoneIndex);

    public static Cidr DefaultPublicSubnet(Cidr vpc, int zoneIndex) => vpc.Subnet(DerivedSubnetBits, 8 + zoneIndex);

    /// <summary>Builds the topology of a spec that passed validation.</summary>
    public static ClusterTopology From(ClusterSpec spec)
    {
        var vpc = Cidr.Parse(spec.Network.VpcCidr);
        var zones = spec.Zones
            .Select((zone, i) => new ZoneNetwork(
                i,
                zone,
                spec.Network.PublicSubnets.Count > i ? Cidr.Parse(spec.Network.PublicSubnets[i]) : DefaultPublicSubnet(vpc, i),
                spec.Network.PrivateSubnets.Count > i ? Cidr.Parse(spec.Network.PrivateSubnets[i]) : DefaultPrivateSubnet(vpc, i)))
            .ToList();

        var slots = new List<InstanceSlot>();
        AddSlots(slots, zones, InstanceRole.Bastion, spec.Bastion, isPublic: true, BastionOffset, fixedIp: true);
        AddSlots(slots, zones, InstanceRole.Etcd, spec.Etcd, isPublic: false, EtcdOffset, fixedIp: true);
        AddSlots(slots, zones, InstanceRole.Controller, spec.Controllers, isPublic: false, ControllerOffset, fixedIp: true);
        // An Auto Scaling group launches into its subnets wherever it likes: its nodes have no slot, no fixed address,
        // and are named after their verified instance id.
        var inGroup = spec.Nodes.AutoScaling && spec.Provider == ProviderKind.Aws;
        if (!inGroup) AddSlots(slots, zones, InstanceRole.Node, spec.Nodes, isPublic: false, NodeOffset, fixedIp: true);
        var group = inGroup && spec.Nodes.Count > 0
            ? new NodeGroup(zones, spec.Nodes.Count, spec.Nodes.Min, spec.Nodes.Max, spec.Nodes.InstanceType, spec.Nodes.RootVolumeSizeGiB)
            : null;
        return new ClusterTopology(spec, zones, slots, group);
    }

    private static void AddSlots(List<InstanceSlot> slots, IReadOnlyList<ZoneNetwork> zones, InstanceRole role,
        InstanceGroupSpec group, bool isPublic, uint offset, bool fixedIp)
    {
        for (var i = 0; i < group.Count; i++)
        {
            var zone = zones[i % zones.Count];
            var subnet = isPublic ? zone.PublicSubnet : zone.PrivateSubnet;
            var ip = fixedIp ? subnet.AddressAt(offset + (uint)(i / zones.Count)) : null;
            slots.Add(new InstanceSlot(role, i, zone, isPublic, ip, group.InstanceType, group.RootVolumeSizeGiB,
                group.VolumeSizeGiB));
        }
    }
}
