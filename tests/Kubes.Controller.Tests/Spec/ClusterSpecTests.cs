using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Spec;

public sealed class ClusterSpecTests
{
    [Fact]
    public void Specs_with_the_same_lists_are_equal_whatever_list_type_built_them()
    {
        var a = ClusterSpecDefaults.Aws("demo") with { Network = new NetworkSpec { AdminCidrs = new List<string> { "1.2.3.0/24" } } };
        var b = ClusterSpecDefaults.Aws("demo") with { Network = new NetworkSpec { AdminCidrs = ["1.2.3.0/24"] } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void Specs_whose_lists_differ_are_not_equal()
    {
        var spec = ClusterSpecDefaults.Aws("demo");

        Assert.NotEqual(spec, spec with { Zones = ["us-east-1a", "us-east-1c", "us-east-1b"] });
        Assert.NotEqual(spec, spec with { Network = spec.Network with { PublicSubnets = ["10.0.128.0/20"] } });
    }

    [Fact]
    public void A_list_given_to_a_spec_is_copied_so_later_changes_do_not_leak_in()
    {
        var zones = new List<string> { "us-east-1a", "us-east-1b", "us-east-1c" };
        var spec = ClusterSpecDefaults.Aws("demo") with { Zones = zones };

        zones[0] = "us-east-1d";

        Assert.Equal("us-east-1a", spec.Zones[0]);
    }
}
