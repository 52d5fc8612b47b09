using Kubes.Agent.Components;
using Kubes.Agent.Components.Containerd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Tomlyn;
using Tomlyn.Model;

namespace Kubes.Agent.Tests.Components.Containerd;

public sealed class ContainerdConfigFileTests
{
    private static ContainerdLayout Layout(string root, string containerdVersion, string driver, bool crictl = false)
    {
        var config = NodeConfigs.Node("node-0",
        [
            NodeConfigs.Artifact(ArtifactNames.Containerd, containerdVersion), NodeConfigs.Artifact(ArtifactNames.Runc, "1.4.3"),
            .. crictl ? [NodeConfigs.Artifact(ArtifactNames.Crictl, "1.35.0")] : Array.Empty<Kubes.Protos.V1.Artifact>(),
        ]);
        return new ContainerdLayout(config, new AgentPaths(root), driver);
    }

    [Fact]
    public void A_local_instance_runs_containerd_1_with_its_own_root_state_and_sockets_and_cgroupfs() =>
        Golden.AssertMatches("config-v2-local.toml",
            ContainerdConfigFile.Render(Layout("/srv/kubes/instances/node-0", "1.6.20", CgroupDriver.Cgroupfs)));

    [Fact]
    public void An_aws_node_runs_containerd_2_in_config_version_3_with_the_systemd_driver() =>
        Golden.AssertMatches("config-v3-aws.toml", ContainerdConfigFile.Render(Layout("/", "2.3.4", CgroupDriver.Systemd)));

    [Theory]
    [InlineData("1.6.20", 2)]
    [InlineData("1.7.28", 2)]
    [InlineData("2.2.7", 3)]
    [InlineData("v2.3.4", 3)]
    public void The_config_version_follows_containerds_major(string version, int expected) =>
        Assert.Equal(expected, ContainerdLayout.ConfigVersionFor(version));

    [Fact]
    public void What_is_written_reads_back_as_the_same_table()
    {
        var layout = Layout("/srv/kubes/instances/node-0", "1.6.20", CgroupDriver.Cgroupfs);

        var read = TomlSerializer.Deserialize<TomlTable>(ContainerdConfigFile.Render(layout))!;

        var cri = (TomlTable)((TomlTable)read["plugins"])["io.containerd.grpc.v1.cri"];
        Assert.Equal("registry.k8s.io/pause:3.10.1", cri["sandbox_image"]);
        Assert.Equal("/srv/kubes/instances/node-0/run/containerd/containerd.sock", ((TomlTable)read["grpc"])["address"]);
        var runc = (TomlTable)((TomlTable)((TomlTable)((TomlTable)cri["containerd"])["runtimes"])["runc"])["options"];
        Assert.Equal(false, runc["SystemdCgroup"]);
        Assert.Equal("/srv/kubes/instances/node-0/usr/local/bin/runc", runc["BinaryName"]);
    }

    [Fact]
    public void A_configuration_without_runc_or_a_containerd_section_is_refused()
    {
        var noRunc = NodeConfigs.Node("node-0", NodeConfigs.Artifact(ArtifactNames.Containerd, "2.3.4"));
        var noSection = NodeConfigs.Node("node-0", NodeConfigs.Artifact(ArtifactNames.Containerd, "2.3.4"),
            NodeConfigs.Artifact(ArtifactNames.Runc, "1.4.3"));
        noSection.Containerd = null;

        // A missing program is the operator's to provide (the agent retries); a missing section is the coordinator's defect.
        Assert.Contains("has no 'runc' artifact",
            Assert.Throws<ArtifactNotProvidedException>(() => new ContainerdLayout(noRunc, new AgentPaths("/"))).Message);
        Assert.Contains("has no containerd section",
            Assert.Throws<InvalidRoleConfigException>(() => new ContainerdLayout(noSection, new AgentPaths("/"))).Message);
    }

    [Fact]
    public void A_root_folder_too_long_for_a_unix_socket_is_refused_with_the_way_out()
    {
        var error = Assert.Throws<InvalidRoleConfigException>(() => Layout("/" + new string('r', 80), "1.6.20", CgroupDriver.Cgroupfs));

        Assert.Contains("shorter root folder", error.Message);
    }
}
