using CsCheck;
using Kubes.Controller.Networking;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Spec;

public sealed class ClusterSpecDefaultsTests
{
    [Fact]
    public void The_aws_default_is_the_production_shape_in_the_given_region()
    {
        var spec = ClusterSpecDefaults.Aws("demo", "eu-central-1");

        Assert.Equal(ProviderKind.Aws, spec.Provider);
        Assert.Equal(["eu-central-1a", "eu-central-1b", "eu-central-1c"], spec.Zones);
        Assert.Equal("10.0.0.0/16", spec.Network.VpcCidr);
        Assert.Equal(AgentChannel.S3, spec.AgentChannel);
        Assert.Equal("", spec.StateStore);
        Assert.Equal((1, 3, 3, 3), (spec.Bastion.Count, spec.Etcd.Count, spec.Controllers.Count, spec.Nodes.Count));
    }

    [Fact]
    public void The_local_default_lives_on_loopback_with_state_in_a_folder_and_agents_on_grpc()
    {
        var spec = ClusterSpecDefaults.Local();

        Assert.Equal(("kubes", ProviderKind.Local, "local-1"), (spec.Name, spec.Provider, spec.Region));
        Assert.Equal(["local-1a", "local-1b", "local-1c"], spec.Zones);
        Assert.Equal("./.kubes/kubes", spec.StateStore);
        Assert.Equal(AgentChannel.Grpc, spec.AgentChannel);
        Assert.All(ClusterTopology.From(spec).Slots, slot => Assert.True(System.Net.IPAddress.IsLoopback(slot.PrivateIp!)));
    }

    [Fact]
    public void The_local_vpc_is_a_stable_16_of_loopback_never_127_0()
    {
        Gen.String.Sample(name =>
        {
            var vpc = Cidr.Parse(ClusterSpecDefaults.LocalVpcCidr(name));
            var second = (vpc.Network >> 16) & 0xFF;
            Assert.Equal(16, vpc.PrefixLength);
            Assert.Equal(127u, vpc.Network >> 24);
            Assert.InRange(second, 1u, 254u);
            Assert.Equal(vpc.ToString(), ClusterSpecDefaults.LocalVpcCidr(name));
        });
        // Fixed values: a change of the derivation would move every existing local cluster.
        Assert.Equal("127.195.0.0/16", ClusterSpecDefaults.LocalVpcCidr("demo"));
        Assert.NotEqual(ClusterSpecDefaults.LocalVpcCidr("demo"), ClusterSpecDefaults.LocalVpcCidr("demo2"));
    }

    [Fact]
    public void For_picks_the_provider_defaults_for_a_name_and_region()
    {
        Assert.Equal(ClusterSpecDefaults.Local("x"), ClusterSpecDefaults.For(ProviderKind.Local, "x"));
        Assert.Equal(ClusterSpecDefaults.Aws("x", "sa-east-1"), ClusterSpecDefaults.For(ProviderKind.Aws, "x", "sa-east-1"));
        Assert.Equal(["local-2a", "local-2b", "local-2c"], ClusterSpecDefaults.For(ProviderKind.Local, "x", "local-2").Zones);
    }
}
