using Kubes.Agent.Conversation;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Conversation;

public sealed class RoleConfigHashTests
{
    private static RoleConfig Sample() => new()
    {
        Cluster = "demo", Role = Role.Etcd, Slot = 1, Name = "etcd-1", PrivateIp = "10.0.1.10",
        Etcd = new EtcdConfig { ClientPort = 2379, Members = { new EtcdMember { Name = "etcd-1", Slot = 1, PrivateIp = "10.0.1.10" } } },
    };

    [Fact]
    public void A_sealed_configuration_is_acted_on() => RoleConfigHash.Verify(Sample().Sealed(), "Join");

    [Fact]
    public void A_changed_field_is_refused_with_where_it_came_from()
    {
        var config = Sample().Sealed();
        config.Etcd.Members[0].PrivateIp = "10.0.1.11";

        var refusal = Assert.Throws<InvalidRoleConfigException>(() => RoleConfigHash.Verify(config, "Join"));
        Assert.Contains("from Join", refusal.Message);
        Assert.Contains("will not act", refusal.Message);
    }

    [Fact]
    public void An_unsealed_configuration_is_refused() =>
        Assert.Throws<InvalidRoleConfigException>(() => RoleConfigHash.Verify(Sample(), "the agent's saved state"));
}
