using Kubes.Controller.Aws.Resources;

namespace Kubes.Controller.Tests.Aws.Resources;

public sealed class LoadBalancerNameTests
{
    [Fact]
    public void A_short_cluster_name_is_used_as_it_is() =>
        Assert.Equal("kubes-demo-api", AwsClusterModel.LoadBalancerName("demo"));

    [Fact]
    public void Long_names_sharing_a_prefix_stay_within_32_characters_and_apart()
    {
        var blue = AwsClusterModel.LoadBalancerName("platform-production-eu-west-blue");
        var green = AwsClusterModel.LoadBalancerName("platform-production-eu-west-green");

        Assert.NotEqual(blue, green);
        Assert.All([blue, green], name => Assert.InRange(name.Length, 1, 32));
        Assert.StartsWith("kubes-platform-product", blue);
        Assert.Equal(blue, AwsClusterModel.LoadBalancerName("platform-production-eu-west-blue"));
    }

    [Fact]
    public void A_prefix_cut_at_a_hyphen_does_not_leave_two_in_a_row() =>
        Assert.DoesNotContain("--", AwsClusterModel.LoadBalancerName("abcdefghijklmno-pqrstuvwxyz-0123456789"));
}
