using Kubes.Controller.Operations.Status;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.Providers.Support;
using Kubes.Controller.Tests.State;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Operations.Status;

public sealed class ClusterStatusTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Status_is_every_slot_with_what_its_agent_last_stored()
    {
        using var session = new ScriptedClusterSession(_folder.Path);
        var etcd0 = session.Topology.FindSlot(Kubes.Controller.Topology.InstanceRole.Etcd, 0)!;
        await new AgentStatusStore(session.Store).PutAsync(new AgentStatus
        {
            InstanceId = "i-etcd0", Name = etcd0.Name, Slot = etcd0.Index, Role = Role.Etcd,
            LastReport = new AgentReport { Phase = Phase.Ready },
        });

        var rows = (await ClusterStatus.ReadAsync(session, CancellationToken.None)).Slots;

        Assert.Equal(session.Topology.Slots.Count, rows.Count);
        Assert.True(rows.Single(r => r.Slot == "etcd-0").IsReady);
        Assert.False(rows.Single(r => r.Slot == "etcd-1").IsReady);
    }
}

/// <summary>Each node row with what the Kubernetes API says of its Node, beside what its agent says.</summary>
public sealed class NodeReadinessTests
{
    private static SlotStatus Row(string slot, string role, string? instance) =>
        new(slot, role, instance, "z", null, "Ready", null, "healthy", null, null);

    [Fact]
    public void A_joined_node_shows_its_nodes_condition_or_that_it_never_registered_other_roles_show_none()
    {
        var nodes = new NodeReadiness(new Dictionary<string, string>
        {
            ["node-0"] = "Ready", ["i-0abc"] = "NotReady: container runtime network not ready",
        }, null);
        IReadOnlyList<SlotStatus> rows = [Row("etcd-0", "etcd", "i-1"), Row("node-0", "node", "i-2"), Row("i-0abc", "node", "i-0abc"),
            Row("node-1", "node", "i-3"), Row("node-2", "node", null)];

        var shown = ClusterStatus.WithNodes(rows, nodes).Select(r => (r.Slot, r.Node));

        Assert.Equal([("etcd-0", null), ("node-0", "Ready"), ("i-0abc", "NotReady: container runtime network not ready"),
            ("node-1", "not registered"), ("node-2", null)], shown);
    }

    [Fact]
    public void When_the_api_was_not_read_no_node_claims_anything()
    {
        var rows = ClusterStatus.WithNodes([Row("node-0", "node", "i-2")], NodeReadiness.Unread("connection refused"));

        Assert.Null(Assert.Single(rows).Node);
    }

    [Fact]
    public void A_node_the_api_counts_not_ready_gives_the_short_status_its_reason_when_nothing_else_does()
    {
        var row = Row("node-0", "node", "i-2") with { Node = "NotReady: cni plugin not initialized" };

        Assert.Equal("API: NotReady: cni plugin not initialized", Kubes.Controller.Cli.Rendering.StatusLines.Reason(row));
        Assert.Equal("", Kubes.Controller.Cli.Rendering.StatusLines.Reason(row with { Node = "Ready" }));
        Assert.Equal("disk full", Kubes.Controller.Cli.Rendering.StatusLines.Reason(row with { Error = "disk full" }));
    }
}
