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
    public void The_local_default_lives_in_a_private_16_with_state_in_a_folder_and_agents_on_grpc()
    {
        var spec = ClusterSpecDefaults.Local();

        Assert.Equal(("kubes", ProviderKind.Local, "local-1"), (spec.Name, spec.Provider, spec.Region));
        Assert.Equal(["local-1a", "local-1b", "local-1c"], spec.Zones);
        Assert.Equal("./.kubes/kubes", spec.StateStore);
        Assert.Equal(AgentChannel.Grpc, spec.AgentChannel);
        var topology = ClusterTopology.From(spec);
        Assert.Equal("10.226.0.0/16", spec.Network.VpcCidr);
        Assert.All(topology.Slots, slot => Assert.True(topology.VpcCidr.Contains(slot.PrivateIp!), $"{slot.Name}: {slot.PrivateIp}"));
    }

    [Fact]
    public void The_local_vpc_is_a_stable_private_16_apart_from_the_default_pod_and_service_ranges()
    {
        var defaults = new NetworkSpec();
        Gen.String.Sample(name =>
        {
            var vpc = Cidr.Parse(ClusterSpecDefaults.LocalVpcCidr(name));
            var second = (vpc.Network >> 16) & 0xFF;
            Assert.Equal(16, vpc.PrefixLength);
            Assert.Equal(10u, vpc.Network >> 24);
            Assert.InRange(second, 1u, 254u);
            Assert.False(vpc.Overlaps(Cidr.Parse(defaults.PodCidr)), $"{vpc} overlaps the pods");
            Assert.False(vpc.Overlaps(Cidr.Parse(defaults.ServiceCidr)), $"{vpc} overlaps the services");
            Assert.Equal(vpc.ToString(), ClusterSpecDefaults.LocalVpcCidr(name));
        });
        // Fixed values: a change of the derivation would move every existing local cluster.
        Assert.Equal("10.195.0.0/16", ClusterSpecDefaults.LocalVpcCidr("demo"));
        Assert.Equal("10.226.0.0/16", ClusterSpecDefaults.LocalVpcCidr(ClusterSpecDefaults.DefaultName));
        Assert.NotEqual(ClusterSpecDefaults.LocalVpcCidr("demo"), ClusterSpecDefaults.LocalVpcCidr("demo2"));
    }

    [Theory]
    [InlineData("c59", "10.33.0.0/16")]   // its hash gives 10.32, which holds the default services
    [InlineData("c425", "10.201.0.0/16")] // its hash gives 10.200, the default pods
    [InlineData("c17", "10.33.0.0/16")]   // its hash gives 10.33 itself
    public void A_name_whose_hash_lands_on_the_pod_or_service_range_takes_the_next_16(string name, string vpc)
    {
        Assert.Equal(vpc, ClusterSpecDefaults.LocalVpcCidr(name));
        Assert.Empty(SpecValidator.Validate(ClusterSpecDefaults.Local(name)));
    }

    [Fact]
    public void For_picks_the_provider_defaults_for_a_name_and_region()
    {
        Assert.Equal(ClusterSpecDefaults.Local("x"), ClusterSpecDefaults.For(ProviderKind.Local, "x"));
        Assert.Equal(ClusterSpecDefaults.Aws("x", "sa-east-1"), ClusterSpecDefaults.For(ProviderKind.Aws, "x", "sa-east-1"));
        Assert.Equal(["local-2a", "local-2b", "local-2c"], ClusterSpecDefaults.For(ProviderKind.Local, "x", "local-2").Zones);
    }
}
