using Google.Protobuf;
using Kubes.Protos.V1;

namespace Kubes.Protos.Tests;

/// <summary>config_hash as both sides compute it: the desired state, whatever URLs it is handed out with.</summary>
public sealed class RoleConfigHashingTests
{
    private static RoleConfig Config() => new()
    {
        Cluster = "prod", Role = Role.Etcd, Slot = 1, Name = "etcd-1",
        Artifacts = { new Artifact { Name = "etcd", Version = "3.5.6", Sha256 = new string('a', 64), Urls = { "https://mirror/etcd.tgz?X-Amz-Signature=1" } } },
        Etcd = new EtcdConfig { ClientPort = 2379, DataDir = "/data/etcd", ExtraArgs = { new Flag { Name = "heartbeat-interval", Value = "200" } } },
    };

    [Fact]
    public void The_hash_is_lower_case_sha256_hex_of_the_message_without_hash_and_urls()
    {
        var config = Config();
        var withoutUrls = config.Clone();
        withoutUrls.Artifacts[0].Urls.Clear();
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(withoutUrls.ToByteArray()));

        config.ConfigHash = "anything";
        Assert.Equal(expected, config.ComputeConfigHash());
        Assert.Matches("^[0-9a-f]{64}$", config.Sealed().ConfigHash);
    }

    [Fact]
    public void Fresh_presigned_urls_keep_the_hash()
    {
        var first = Config().Sealed();
        var again = Config();
        again.Artifacts[0].Urls[0] = "https://mirror/etcd.tgz?X-Amz-Signature=2";
        again.Artifacts[0].Urls.Add("file:///var/lib/mirror/etcd.tgz");

        Assert.Equal(first.ConfigHash, again.Sealed().ConfigHash);
        Assert.True(again.Sealed().HasValidConfigHash());
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("flag")]
    [InlineData("member")]
    public void Any_other_change_breaks_the_seal(string what)
    {
        var tampered = Config().Sealed();
        switch (what)
        {
            case "sha256": tampered.Artifacts[0].Sha256 = new string('b', 64); break;
            case "flag": tampered.Etcd.ExtraArgs[0].Value = "300"; break;
            default: tampered.Etcd.Members.Add(new EtcdMember { Name = "etcd-9" }); break;
        }

        Assert.False(tampered.HasValidConfigHash());
    }

    [Fact]
    public void Upper_case_or_prefixed_hashes_are_not_the_contract()
    {
        var config = Config().Sealed();
        var upper = config.Clone();
        upper.ConfigHash = config.ConfigHash.ToUpperInvariant();
        var prefixed = config.Clone();
        prefixed.ConfigHash = "sha256:" + config.ConfigHash;

        Assert.False(upper.HasValidConfigHash());
        Assert.False(prefixed.HasValidConfigHash());
        Assert.False(Config().HasValidConfigHash());
    }
}
