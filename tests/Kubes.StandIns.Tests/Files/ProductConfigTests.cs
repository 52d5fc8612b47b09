using System.Runtime.CompilerServices;
using Kubes.StandIns.Configs;

namespace Kubes.StandIns.Tests.Files;

/// <summary>
/// The config files the agent renders for a node (its golden files) are read by the stand-ins as the components will
/// read them: strictly, against their kind's field list.
/// </summary>
public sealed class ProductConfigTests
{
    [Theory]
    [InlineData("Kubelet/golden/kubelet-config-local.yaml", "KubeletConfiguration")]
    [InlineData("Kubelet/golden/kubelet-config-aws.yaml", "KubeletConfiguration")]
    [InlineData("KubeProxy/golden/kube-proxy-config-local.yaml", "KubeProxyConfiguration")]
    [InlineData("KubeProxy/golden/kube-proxy-config-aws.yaml", "KubeProxyConfiguration")]
    public void The_agents_rendered_config_parses_strictly(string golden, string kind)
    {
        var root = StrictConfig.Parse(golden, File.ReadAllText(Golden(golden)), FieldSchema.For(kind));
        Assert.Equal(kind, StrictConfig.Scalar(root, "kind"));
    }

    [Fact]
    public void A_field_the_kind_lacks_in_a_rendered_config_would_be_refused()
    {
        var text = File.ReadAllText(Golden("Kubelet/golden/kubelet-config-local.yaml")) + "podInfraContainerImage: registry.k8s.io/pause:3.10\n";
        var refused = Assert.Throws<StandInException>(() => StrictConfig.Parse("kubelet config", text, FieldSchema.For("KubeletConfiguration")));
        Assert.Contains("unknown field \"podInfraContainerImage\"", refused.Message);
    }

    private static string Golden(string path, [CallerFilePath] string self = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(self), "..", "..", "Kubes.Agent.Tests", "Components", path));
}
