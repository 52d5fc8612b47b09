using Kubes.Agent.Conversation;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Conversation;

public sealed class RoleConfigHashTests
{
    private static RoleConfig Sample() => new()
    {
        Cluster = "demo", Role = Role.Etcd, Slot = 1, Name = "etcd-1", PrivateIp = "10.0.1.10",
        Artifacts = { new Artifact { Name = "etcd", Version = "3.4.23", Sha256 = new string('a', 64), Urls = { "https://m/etcd.tgz" } } },
        Etcd = new EtcdConfig { ClientPort = 2379, Members = { new EtcdMember { Name = "etcd-1", Slot = 1, PrivateIp = "10.0.1.10" } } },
    };

    [Fact]
    public void The_hash_is_of_the_message_with_the_hash_field_empty()
    {
        var config = Sample();
        var before = RoleConfigHash.Compute(config);
        config.ConfigHash = before;

        Assert.Equal(before, RoleConfigHash.Compute(config));
        Assert.Equal(64, before.Length);
        Assert.True(RoleConfigHash.Matches(config));
    }

    [Fact]
    public void A_changed_field_no_longer_matches()
    {
        var config = Sample();
        config.ConfigHash = RoleConfigHash.Compute(config);
        config.Etcd.Members[0].PrivateIp = "10.0.1.11";

        Assert.False(RoleConfigHash.Matches(config));
        Assert.Contains("will not act", Assert.Throws<InvalidRoleConfigException>(() => RoleConfigHash.Verify(config, "Join")).Message);
    }

    [Fact]
    public void A_sha256_prefix_and_upper_case_hex_are_accepted()
    {
        var config = Sample();
        config.ConfigHash = "sha256:" + RoleConfigHash.Compute(config).ToUpperInvariant();

        Assert.True(RoleConfigHash.Matches(config));
    }

    [Fact]
    public void An_empty_hash_never_matches() => Assert.False(RoleConfigHash.Matches(Sample()));
}
