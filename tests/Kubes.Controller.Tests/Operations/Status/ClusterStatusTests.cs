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

        var rows = await ClusterStatus.ReadAsync(session, CancellationToken.None);

        Assert.Equal(session.Topology.Slots.Count, rows.Count);
        Assert.True(rows.Single(r => r.Slot == "etcd-0").IsReady);
        Assert.False(rows.Single(r => r.Slot == "etcd-1").IsReady);
    }
}
