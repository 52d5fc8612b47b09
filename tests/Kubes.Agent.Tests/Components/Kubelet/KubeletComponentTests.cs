using Kubes.Agent.Components;
using Kubes.Agent.Components.Kubelet;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.Kubelet;

public sealed class KubeletComponentTests
{
    private static readonly Artifact[] Artifacts = [NodeConfigs.Artifact(ArtifactNames.Kubelet, "1.36.3")];

    private static KubeletLayout Local() =>
        new(NodeConfigs.Node("node-0", Artifacts), new AgentPaths("/srv/kubes/instances/node-0"),
            new PkiFiles(new AgentPaths("/srv/kubes/instances/node-0")), CgroupDriver.Cgroupfs, "/etc/resolv.conf");

    private static KubeletLayout Aws() =>
        new(NodeConfigs.AwsGroupNode(Artifacts), new AgentPaths("/"), new PkiFiles(new AgentPaths("/")), CgroupDriver.Systemd,
            KubeletLayout.SystemdResolvedUpstreams);

    [Fact]
    public void An_aws_group_nodes_configuration_is_the_golden_file() =>
        Golden.AssertMatches("kubelet-config-aws.yaml", KubeletConfigFile.Render(Aws()));

    [Fact]
    public void A_local_nodes_configuration_is_the_golden_file() =>
        Golden.AssertMatches("kubelet-config-local.yaml", KubeletConfigFile.Render(Local()));

    [Fact]
    public void Its_kubeconfig_reaches_the_ha_endpoint_as_the_node_with_its_client_certificate() =>
        Golden.AssertMatches("kubelet-kubeconfig-aws.yaml", KubeletConfigFile.RenderKubeconfig(Aws()));

    [Fact]
    public void Its_unit_names_the_node_its_address_labels_and_files() =>
        Golden.AssertMatches("kubelet-aws.service", KubeletUnit.Build(Aws()).Render());

    [Fact]
    public void The_operators_flags_are_added_to_the_command_line()
    {
        var config = NodeConfigs.Node("node-0", Artifacts);
        config.Kubelet.ExtraArgs.Add(new Flag { Name = "v", Value = "4" });

        var unit = KubeletUnit.Build(new KubeletLayout(config, new AgentPaths("/"), new PkiFiles(new AgentPaths("/")), CgroupDriver.Systemd));

        Assert.Contains("--v=4", unit.ExecStart);
    }

    [Theory]
    [InlineData("section")]
    [InlineData("serving")]
    [InlineData("endpoint")]
    [InlineData("artifact")]
    public void A_configuration_lacking_what_the_kubelet_needs_is_refused(string lacking)
    {
        var config = NodeConfigs.Node("node-0", Artifacts);
        switch (lacking)
        {
            case "section": config.Kubelet = null; break;
            case "serving": config.Certificates.Remove(config.Certificates.Single(c => c.FileStem == "kubelet-serving")); break;
            case "endpoint": config.Kubelet.ApiEndpoint = "http://10.226.0.3:6443"; break;
            case "artifact": config.Artifacts.Clear(); break;
        }

        KubeletLayout Layout() => new(config, new AgentPaths("/"), new PkiFiles(new AgentPaths("/")));
        // A missing program is the operator's to provide (the agent retries); anything else is the coordinator's defect.
        var error = lacking == "artifact"
            ? (Exception)Assert.Throws<ArtifactNotProvidedException>(Layout)
            : Assert.Throws<InvalidRoleConfigException>(Layout);

        Assert.Contains(lacking == "artifact" ? "'kubes artifacts import DIR'" : "the coordinator's RoleConfig must be fixed", error.Message);
    }
}
