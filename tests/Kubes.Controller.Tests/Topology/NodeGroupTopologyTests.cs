using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Topology;

public sealed class NodeGroupTopologyTests
{
    private static ClusterSpec WithGroup(ProviderKind provider)
    {
        var defaults = ClusterSpecDefaults.For(provider, "demo");
        return defaults with { Nodes = defaults.Nodes with { Count = 4, Min = 2, Max = 8, AutoScaling = true } };
    }

    [Fact]
    public void Nodes_of_an_auto_scaling_group_have_no_slots_and_no_fixed_addresses()
    {
        var topology = ClusterTopology.From(WithGroup(ProviderKind.Aws));

        Assert.Empty(topology.SlotsOf(InstanceRole.Node));
        var group = Assert.IsType<NodeGroup>(topology.NodeGroup);
        Assert.Equal((4, 2, 8), (group.Desired, group.Min, group.Max));
        Assert.Null(group.Prototype.PrivateIp);
        Assert.Contains(InstanceRole.Node, topology.Roles);
    }

    [Fact]
    public void The_local_provider_has_no_auto_scaling_and_keeps_node_slots()
    {
        var topology = ClusterTopology.From(WithGroup(ProviderKind.Local));

        Assert.Null(topology.NodeGroup);
        Assert.Equal(4, topology.SlotsOf(InstanceRole.Node).Count());
        Assert.All(topology.SlotsOf(InstanceRole.Node), slot => Assert.NotNull(slot.PrivateIp));
    }

    [Fact]
    public void The_plan_lists_group_node_certificates_once_named_by_the_instance_id_with_no_address()
    {
        var identities = new IssuancePolicy(ClusterTopology.From(WithGroup(ProviderKind.Aws))).All();

        var serving = Assert.Single(identities, i => i.Kind == IdentityKind.KubeletServing);
        Assert.Equal($"kubelet-serving/{IssuancePolicy.GroupNodeName}", serving.Name);
        Assert.Empty(serving.IpAddresses);
        Assert.DoesNotContain(identities, i => i.Name.EndsWith("/node-0", StringComparison.Ordinal));
    }

    [Fact]
    public void The_group_gets_the_node_role_iam_profile_and_propagates_the_role_tag_its_instances_are_checked_for()
    {
        var topology = ClusterTopology.From(WithGroup(ProviderKind.Aws));
        var resources = AwsClusterModel.Build(topology, new StateStoreLocation("bucket", ""));

        var group = Assert.Single(resources.OfType<AutoScalingGroupResource>());
        Assert.Equal(("node", 4), (group.Tags[ClusterTags.Role], group.Desired));
        Assert.Contains(resources, r => r.Key == AwsClusterModel.Profile(InstanceRole.Node));
        Assert.DoesNotContain(resources.OfType<InstanceResource>(), i => i.Slot.Role == InstanceRole.Node);
    }
}
