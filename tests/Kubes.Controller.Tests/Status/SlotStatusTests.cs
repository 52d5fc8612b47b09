using Google.Protobuf.WellKnownTypes;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Spec;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Status;

public sealed class SlotStatusTests
{
    [Fact]
    public void Group_nodes_are_rows_named_by_instance_id_and_each_missing_one_is_a_pending_row()
    {
        var defaults = ClusterSpecDefaults.Aws("demo");
        var topology = ClusterTopology.From(defaults with { Nodes = defaults.Nodes with { Count = 3, Min = 1, AutoScaling = true } });
        var joined = new AgentStatus
        {
            InstanceId = "i-0123456789abcdef0", Name = "i-0123456789abcdef0", Role = Role.Node, PrivateIp = "10.0.1.57",
            AvailabilityZone = "us-east-1a",
            LastReport = new AgentReport { Phase = Phase.RoleNotInstallable, At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) },
        };

        var nodes = SlotStatus.For(topology, [joined]).Where(r => r.Role == "node").ToList();

        Assert.Equal(3, nodes.Count);
        Assert.Equal(("i-0123456789abcdef0", "10.0.1.57", true), (nodes[0].Slot, nodes[0].PrivateIp, nodes[0].IsRoleNotInstallable));
        Assert.All(nodes.Skip(1), row => Assert.Equal(("Pending", null), (row.Phase, row.InstanceId)));
        Assert.False(AgentWaiter.IsSettled(SlotStatus.For(topology, [joined]), UnprovidedArtifacts.None));
    }
}
