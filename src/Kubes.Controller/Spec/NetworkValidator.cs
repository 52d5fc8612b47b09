using Kubes.Controller.Networking;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Spec;

/// <summary>
/// The network rules: the CIDR blocks parse, sit where the provider needs them, do not overlap, and the
/// subnets (listed or derived from the VPC) hold every fixed slot address of <see cref="ClusterTopology"/>.
/// </summary>
internal static class NetworkValidator
{
    private const string Vpc = "spec.network.vpcCidr";
    private const string Pods = "spec.network.podCidr";
    private const string Services = "spec.network.serviceCidr";
    private const string Public = "spec.network.publicSubnets";
    private const string Private = "spec.network.privateSubnets";

    public static void Check(ClusterSpec spec, SpecProblemList problems)
    {
        var network = spec.Network;
        var vpc = problems.Cidr(Vpc, network.VpcCidr);
        if (vpc is { } v) CheckVpc(spec.Provider, v, problems);

        var pods = problems.Cidr(Pods, network.PodCidr);
        if (pods is { } p) CheckPods(spec.Nodes, p, problems);
        var services = problems.Cidr(Services, network.ServiceCidr);
        if (services is { PrefixLength: < SpecLimits.MinServicePrefix or > SpecLimits.MaxServicePrefix } s)
            problems.Add(Services, $"must be between /{SpecLimits.MinServicePrefix} (kube-apiserver's largest) and "
                + $"/{SpecLimits.MaxServicePrefix} (got /{s.PrefixLength})");

        ReportOverlap(Pods, pods, Vpc, vpc, problems);
        ReportOverlap(Services, services, Vpc, vpc, problems);
        ReportOverlap(Services, services, Pods, pods, problems);

        for (var i = 0; i < network.AdminCidrs.Count; i++) problems.Cidr($"spec.network.adminCidrs[{i}]", network.AdminCidrs[i]);

        CheckSubnets(spec, vpc, problems);
    }

    private static void CheckVpc(ProviderKind provider, Cidr vpc, SpecProblemList problems)
    {
        if (vpc.PrefixLength is < SpecLimits.MinVpcPrefix or > SpecLimits.MaxVpcPrefix)
            problems.Add(Vpc, $"must be between /{SpecLimits.MinVpcPrefix} and /{SpecLimits.MaxVpcPrefix} (got /{vpc.PrefixLength})");
        if (!SpecLimits.PrivateRanges.Any(r => Cidr.Parse(r).Contains(vpc)))
            problems.Add(Vpc, $"must be inside a private range ({string.Join(", ", SpecLimits.PrivateRanges)})"
                + (provider == ProviderKind.Local
                    ? ": the local provider gives each instance a network namespace at its VPC address, like 10.42.0.0/16"
                    : "")
                + $" (got {vpc})");
    }

    /// <summary>Every node gets a /24 of the pod range, so the range must hold one per node up to nodes.max.</summary>
    private static void CheckPods(NodeGroupSpec nodes, Cidr pods, SpecProblemList problems)
    {
        var most = Math.Clamp(Math.Max(nodes.Count, nodes.Max), 1, SpecLimits.MaxNodes);
        var needed = SpecLimits.NodePodPrefix - (int)Math.Ceiling(Math.Log2(most));
        if (pods.PrefixLength > needed)
            problems.Add(Pods, $"must hold a /{SpecLimits.NodePodPrefix} for each of up to {most} nodes (spec.nodes.max), "
                + $"so /{needed} or larger (got /{pods.PrefixLength})");
    }

    /// <summary>Reported at <paramref name="path"/>, unless only the other field is written in the file.</summary>
    private static void ReportOverlap(string path, Cidr? block, string otherPath, Cidr? other, SpecProblemList problems)
    {
        if (block is not { } a || other is not { } b || !a.Overlaps(b)) return;
        if (!problems.IsSetInFile(path) && problems.IsSetInFile(otherPath))
            (path, otherPath, a, b) = (otherPath, path, b, a);
        problems.Add(path, $"{a} overlaps {otherPath} ({b}); the VPC, pod and service ranges must be distinct");
    }

    private static void CheckSubnets(ClusterSpec spec, Cidr? vpc, SpecProblemList problems)
    {
        var publicSubnets = Subnets(Public, spec.Network.PublicSubnets, vpc, isPublic: true, problems);
        var privateSubnets = Subnets(Private, spec.Network.PrivateSubnets, vpc, isPublic: false, problems);
        var all = publicSubnets.Concat(privateSubnets).ToList();
        for (var j = 0; j < all.Count; j++)
        {
            for (var i = 0; i < j; i++)
            {
                if (!all[i].Block.Overlaps(all[j].Block)) continue;
                var (later, earlier) = all[j].Listed ? (all[j], all[i]) : (all[i], all[j]);
                problems.Add(later.Path, $"{later.Block} overlaps {earlier.Describe} ({earlier.Block}); the subnets must be distinct");
            }
        }

        ReportTooSmall(publicSubnets, SubnetNeed.Public(spec), vpc, problems);
        ReportTooSmall(privateSubnets, SubnetNeed.Private(spec), vpc, problems);
    }

    /// <summary>The three subnets of one kind: as listed, or derived from the VPC when the list is empty.</summary>
    private static List<Subnet> Subnets(string path, IReadOnlyList<string> listed, Cidr? vpc, bool isPublic,
        SpecProblemList problems)
    {
        var subnets = new List<Subnet>();
        if (listed.Count == 0)
        {
            if (vpc is { PrefixLength: <= 32 - ClusterTopology.DerivedSubnetBits } v)
            {
                for (var zone = 0; zone < SpecLimits.ZoneCount; zone++)
                {
                    var block = isPublic ? ClusterTopology.DefaultPublicSubnet(v, zone) : ClusterTopology.DefaultPrivateSubnet(v, zone);
                    subnets.Add(new Subnet(path, block, Listed: false,
                        $"the {(isPublic ? "public" : "private")} subnet of zone {zone} derived from {Vpc}", Reported: false));
                }
            }
            return subnets;
        }
        if (listed.Count != SpecLimits.ZoneCount)
            problems.Add(path, $"must list one subnet per zone ({SpecLimits.ZoneCount}), or none to derive them from {Vpc} (got {listed.Count})");
        for (var i = 0; i < listed.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (problems.Cidr(itemPath, listed[i]) is not { } block) continue;
            var reported = true;
            if (vpc is { } v && !v.Contains(block))
                problems.Add(itemPath, $"must be inside {Vpc} ({v}) (got {block})");
            else if (block.PrefixLength > SpecLimits.MaxSubnetPrefix)
                problems.Add(itemPath, $"must be /{SpecLimits.MaxSubnetPrefix} or larger, AWS's smallest subnet (got /{block.PrefixLength})");
            else reported = false;
            subnets.Add(new Subnet(itemPath, block, Listed: true, itemPath, reported));
        }
        return subnets;
    }

    private static void ReportTooSmall(List<Subnet> subnets, SubnetNeed? need, Cidr? vpc, SpecProblemList problems)
    {
        if (need is null) return;
        foreach (var subnet in subnets)
        {
            var block = subnet.Block;
            if (subnet.Reported || block.Size >= need.Addresses) continue;
            if (subnet.Listed)
            {
                problems.Add(subnet.Path, $"is too small for {need.What}, up to offset {need.LastOffset}: it must be "
                    + $"/{need.Prefix} or larger (got /{block.PrefixLength})");
            }
            else
            {
                var listing = vpc is { } v && ListedSubnetsFit(v, need) ? $", or list {Public} and {Private}" : "";
                problems.Add(Vpc, $"is too small: the subnets derived from it are /{block.PrefixLength}, but {need.What} "
                    + $"need up to offset {need.LastOffset}, so /{need.Prefix}; use a VPC of /{need.Prefix - ClusterTopology.DerivedSubnetBits} or larger{listing} "
                    + $"(got {vpc})");
                return;
            }
        }
    }

    /// <summary>
    /// The smallest VPC (largest prefix) whose derived subnets hold every fixed address of <paramref name="spec"/>;
    /// <c>kubes init</c> writes it next to the VPC.
    /// </summary>
    internal static int LargestDerivedVpcPrefix(ClusterSpec spec)
    {
        var need = new[] { SubnetNeed.Public(spec), SubnetNeed.Private(spec) }.OfType<SubnetNeed>().MinBy(n => n.Prefix);
        return Math.Min(SpecLimits.MaxVpcPrefix, need is null ? SpecLimits.MaxVpcPrefix : need.Prefix - ClusterTopology.DerivedSubnetBits);
    }

    /// <summary>Three private subnets of the needed size and three of AWS's smallest public ones, packed into the VPC.</summary>
    private static bool ListedSubnetsFit(Cidr vpc, SubnetNeed privateNeed) =>
        SpecLimits.ZoneCount * ((1UL << (32 - privateNeed.Prefix)) + (1UL << (32 - SpecLimits.MaxSubnetPrefix))) <= vpc.Size;

    /// <summary>A listed or derived subnet; <paramref name="Reported"/> when it already has a problem of its own.</summary>
    private sealed record Subnet(string Path, Cidr Block, bool Listed, string Describe, bool Reported);

    /// <summary>The highest fixed address offset a subnet must hold, and the smallest block that holds it.</summary>
    private sealed record SubnetNeed(uint LastOffset, string What)
    {
        /// <summary>The fixed addresses plus the broadcast address AWS reserves at the end.</summary>
        public ulong Addresses => LastOffset + 2UL;

        public int Prefix => 32 - (int)Math.Ceiling(Math.Log2(Addresses));

        public static SubnetNeed? Public(ClusterSpec spec) =>
            spec.Bastion.Count > 0 ? new SubnetNeed(OffsetOfLast(ClusterTopology.BastionOffset, spec.Bastion.Count), "the bastion's fixed address") : null;

        public static SubnetNeed? Private(ClusterSpec spec)
        {
            var needs = new List<SubnetNeed>();
            if (spec.Etcd.Count > 0)
                needs.Add(new(OffsetOfLast(ClusterTopology.EtcdOffset, spec.Etcd.Count), "the etcd members' fixed addresses"));
            if (spec.Controllers.Count > 0)
                needs.Add(new(OffsetOfLast(ClusterTopology.ControllerOffset, spec.Controllers.Count), "the controllers' fixed addresses"));
            // Every node slot has a fixed address on every provider, so the subnet must hold the largest the group may grow to.
            var nodes = Math.Max(spec.Nodes.Count, spec.Nodes.Max);
            if (nodes > 0)
                needs.Add(new(OffsetOfLast(ClusterTopology.NodeOffset, nodes), $"the fixed addresses of up to {nodes} nodes (spec.nodes.max)"));
            return needs.MaxBy(n => n.LastOffset);
        }

        /// <summary>Slot i of a role sits at offset + i / 3 in its zone's subnet.</summary>
        private static uint OffsetOfLast(uint offset, int count) =>
            offset + (uint)(Math.Min(count, SpecLimits.MaxNodes) - 1) / SpecLimits.ZoneCount;
    }
}
