using Kubes.Controller.Components;
using Kubes.Controller.Components.Cni;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Components.Cni;

public sealed class CniComponentTests
{
    [Fact]
    public void A_node_gets_the_specs_plugin_and_pod_network_and_the_reference_plugins()
    {
        var spec = ClusterSpecDefaults.Local("demo") with { Cni = CniKind.Flannel, Network = ClusterSpecDefaults.Local("demo").Network with { PodCidr = "10.244.0.0/16" } };
        var topology = ClusterTopology.From(spec);
        var slot = topology.FindSlot(InstanceRole.Node, 1)!;
        var config = new RoleConfig();

        new CniComponent().Configure(config, slot, new VerifiedInstance(spec.Name, "i-1", slot, slot.PrivateIp!), topology, ClusterMaterial.None);

        Assert.Equal(("flannel", "10.244.0.0/16"), (config.Cni.Plugin, config.Cni.PodCidr));
        Assert.Equal([ArtifactNames.CniPlugins], new CniComponent().Artifacts);
    }
}
