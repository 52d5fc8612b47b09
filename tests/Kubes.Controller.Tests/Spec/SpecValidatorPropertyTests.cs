using System.Text.Json;
using CsCheck;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Planning;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Spec;

public sealed class SpecValidatorPropertyTests
{
    [Fact]
    public void Every_spec_the_validator_accepts_builds_its_topology_and_offline_plan()
    {
        var accepted = 0;
        var acceptedSmallVpc = 0;
        var acceptedManyNodes = 0;
        var refusedForSize = 0;
        ClusterSpecGen.Wide.Sample(spec =>
        {
            var problems = SpecValidator.Validate(spec);
            if (problems.Any(p => p.Message.Contains("fixed addresses", StringComparison.Ordinal))) Interlocked.Increment(ref refusedForSize);
            if (problems.Count > 0) return;
            Interlocked.Increment(ref accepted);
            if (Networking.Cidr.Parse(spec.Network.VpcCidr).PrefixLength > 20) Interlocked.Increment(ref acceptedSmallVpc);
            if (spec.Nodes.Max > 1000) Interlocked.Increment(ref acceptedManyNodes);

            // What validate, plan --offline and up build from a valid spec, in the same way.
            var topology = ClusterTopology.From(spec);
            var plan = ClusterPlan.Offline(topology);
            var view = PlanView.From(topology, plan, offline: true);

            // Nodes of an Auto Scaling group have no slots: the plan shows them as its node group.
            var nodeSlots = topology.NodeGroup is null ? spec.Nodes.Count : 0;
            Assert.Equal(spec.Bastion.Count + spec.Etcd.Count + spec.Controllers.Count + nodeSlots, view.Instances.Count);
            if (topology.NodeGroup is not null) Assert.Equal(spec.Nodes.Count, view.NodeGroup?.Desired);
            Assert.All(topology.Slots, slot => Assert.NotNull(slot.PrivateIp));
            Assert.NotEmpty(JsonSerializer.Serialize(view, PlanView.Json));
        }, iter: 400);

        // The generator must reach the edges where a validator gap would show, or this test proves nothing.
        Assert.True(accepted > 40, $"only {accepted} of 400 generated specs were valid");
        Assert.True(acceptedSmallVpc > 0, "no valid spec had a VPC smaller than /20");
        Assert.True(acceptedManyNodes > 0, "no valid spec allowed more than 1000 nodes");
        Assert.True(refusedForSize > 0, "no generated spec was too small for its slots");
    }
}
