using Google.Protobuf;
using Kubes.Controller.Registrar;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Registrar;

public sealed class RoleConfigHashTests
{
    private static RoleConfig Config() => new()
    {
        Cluster = "prod",
        Role = Role.Etcd,
        Slot = 1,
        Name = "etcd-1",
        Etcd = new EtcdConfig { ClientPort = 2379, DataDir = "/data/etcd" },
    };

    [Fact]
    public void A_sealed_config_verifies_and_its_hash_is_sha256_hex()
    {
        var sealedConfig = RoleConfigHash.Seal(Config());
        Assert.Matches("^[0-9a-f]{64}$", sealedConfig.ConfigHash);
        Assert.True(RoleConfigHash.IsValid(sealedConfig));
    }

    [Fact]
    public void The_hash_is_of_the_message_with_an_empty_hash_field()
    {
        var config = Config();
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(config.ToByteArray()));
        config.ConfigHash = "anything";
        Assert.Equal(expected, RoleConfigHash.Compute(config));
    }

    [Fact]
    public void Any_change_breaks_the_seal()
    {
        var sealedConfig = RoleConfigHash.Seal(Config());
        var tampered = sealedConfig.Clone();
        tampered.Etcd.DataDir = "/tmp";
        Assert.False(RoleConfigHash.IsValid(tampered));
    }
}
