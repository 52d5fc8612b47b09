using Kubes.Agent.Conversation;
using Kubes.Agent.Flags;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Flags;

public sealed class KubernetesMinorTests
{
    [Theory]
    [InlineData("v1.35.7", 1, 35)]
    [InlineData("1.36", 1, 36)]
    [InlineData("1.36.0-rc.1", 1, 36)]
    [InlineData(" v1.9.3 ", 1, 9)]
    public void Versions_read_as_their_minor(string version, int major, int minor)
    {
        Assert.True(KubernetesMinor.TryParse(version, out var parsed));
        Assert.Equal(new KubernetesMinor(major, minor), parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("1")]
    [InlineData("latest")]
    [InlineData("v1.x")]
    [InlineData("-1.35")]
    public void Anything_else_is_not_a_version(string? version) => Assert.False(KubernetesMinor.TryParse(version, out _));

    [Fact]
    public void Minors_compare_as_numbers_not_text()
    {
        Assert.True(new KubernetesMinor(1, 9) < new KubernetesMinor(1, 10));
        Assert.True(new KubernetesMinor(2, 0) > new KubernetesMinor(1, 36));
        Assert.True(FlagGate.UpTo(1, 34).Allows(new KubernetesMinor(1, 9)));
        Assert.False(FlagGate.UpTo(1, 34).Allows(new KubernetesMinor(1, 35)));
    }

    [Fact]
    public void A_role_configuration_gives_its_minor_or_is_refused()
    {
        Assert.Equal(new KubernetesMinor(1, 36), KubernetesMinor.Of(new RoleConfig { Name = "node-0", KubernetesVersion = "v1.36.3" }));

        var error = Assert.Throws<InvalidRoleConfigException>(() => KubernetesMinor.Of(new RoleConfig { Name = "node-0" }));

        Assert.Contains("node-0 names Kubernetes version ''", error.Message);
    }
}
