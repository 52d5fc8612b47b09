using Kubes.Agent.Components.KubeProxy;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.KubeProxy;

public sealed class KubeProxyComponentTests
{
    private static readonly Artifact[] Artifacts = [NodeConfigs.Artifact(ArtifactNames.KubeProxy, "1.36.3")];

    private static KubeProxyLayout Layout(RoleConfig config, string root) => new(config, new AgentPaths(root), new PkiFiles(new AgentPaths(root)));

    [Fact]
    public void An_aws_nodes_configuration_is_the_golden_file() =>
        Golden.AssertMatches("kube-proxy-config-aws.yaml", KubeProxyConfigFile.Render(Layout(NodeConfigs.AwsGroupNode(Artifacts), "/")));

    [Fact]
    public void A_local_node_leaves_the_shared_kernels_conntrack_table_alone() =>
        Golden.AssertMatches("kube-proxy-config-local.yaml",
            KubeProxyConfigFile.Render(Layout(NodeConfigs.Node("node-0", Artifacts), "/srv/kubes/instances/node-0")));

    [Fact]
    public void Its_kubeconfig_is_the_kube_proxy_identity_at_the_ha_endpoint() =>
        Golden.AssertMatches("kube-proxy-kubeconfig-aws.yaml",
            KubeProxyConfigFile.RenderKubeconfig(Layout(NodeConfigs.AwsGroupNode(Artifacts), "/")));

    [Fact]
    public void Its_command_line_is_its_configuration_file() =>
        Assert.Equal(["/usr/local/bin/kube-proxy", "--config=/var/lib/kube-proxy/config.yaml"],
            KubeProxyUnit.Build(Layout(NodeConfigs.AwsGroupNode(Artifacts), "/")).ExecStart);

    [Fact]
    public void A_mode_other_than_iptables_or_nftables_is_refused()
    {
        var config = NodeConfigs.Node("node-0", Artifacts);
        config.KubeProxy.Mode = "userspace";

        Assert.Contains("neither iptables nor nftables", Assert.Throws<InvalidRoleConfigException>(() => Layout(config, "/")).Message);
    }
}
