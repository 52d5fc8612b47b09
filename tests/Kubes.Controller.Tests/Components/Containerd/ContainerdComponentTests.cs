using Kubes.Controller.Components;
using Kubes.Controller.Components.Containerd;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Components.Containerd;

public sealed class ContainerdComponentTests
{
    private static readonly ContainerdComponent Containerd = new();

    private static RoleConfig Configure(ClusterSpec spec)
    {
        var topology = ClusterTopology.From(spec);
        var slot = topology.FindSlot(InstanceRole.Node, 0)!;
        var config = new RoleConfig();
        Containerd.Configure(config, slot, new VerifiedInstance(spec.Name, "i-1", slot, slot.PrivateIp ?? System.Net.IPAddress.Parse("10.0.0.100")), topology, ClusterMaterial.None);
        return config;
    }

    [Theory]
    [InlineData("1.35.7", "registry.k8s.io/pause:3.10.1")]
    [InlineData("1.36.3", "registry.k8s.io/pause:3.10.1")]
    public void Every_node_pins_the_sandbox_image_of_its_minor(string version, string image) =>
        Assert.Equal(image, Configure(ClusterSpecDefaults.Local("demo") with { KubernetesVersion = version }).Containerd.SandboxImage);

    [Fact]
    public void It_runs_on_nodes_only_with_runc_and_crictl_and_no_certificate()
    {
        Assert.Equal([InstanceRole.Node], Enum.GetValues<InstanceRole>().Where(Containerd.RunsOn));
        Assert.Equal([ArtifactNames.Containerd, ArtifactNames.Runc, ArtifactNames.Crictl], Containerd.Artifacts);
        Assert.Equal(SandboxImages.ByKubernetesMinor.Keys.Order(), KubernetesVersions.SupportedMinors.Order());
    }

    [Theory]
    [InlineData("containerd")]
    [InlineData("cni")]
    public void The_spec_cannot_add_flags_to_a_component_kubes_writes_whole(string component)
    {
        var spec = ClusterSpecDefaults.Local("demo") with
        {
            Components = new Dictionary<string, ComponentSpec>
            {
                [component] = new() { ExtraArgs = new Dictionary<string, string> { ["log-level"] = "debug" } },
            },
        };

        var problems = SpecValidator.Validate(spec);

        Assert.Contains(problems, p => p.Path == $"spec.components.{component}" && p.Message.Contains("takes no overrides"));
    }
}
