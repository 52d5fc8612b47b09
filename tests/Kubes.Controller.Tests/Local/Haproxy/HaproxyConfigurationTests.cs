using System.Net;
using Kubes.Controller.Local;
using Kubes.Controller.Local.Haproxy;
using Kubes.Controller.Tests.Artifacts.Support;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Local.Haproxy;

public sealed class HaproxyConfigurationTests
{
    [Fact]
    public void The_default_local_cluster_balances_its_api_endpoint_over_every_controller()
    {
        var topology = ClusterTopology.From(TestClusters.Local());

        var configuration = LocalClusterModel.ApiLoadBalancerOf(topology);

        Assert.Equal(LocalEndpoints.Of(topology).ApiServer, configuration.Frontend);
        Assert.Equal(
            topology.SlotsOf(InstanceRole.Controller).Select(s => new ApiBackend(s.Name, new IPEndPoint(s.PrivateIp!, 6443))),
            configuration.Backends);
        Golden.AssertMatches("haproxy.cfg", configuration.Render());
    }

    [Fact]
    public void Every_backend_is_health_checked_with_the_timing_given()
    {
        var configuration = new HaproxyConfiguration("c", IPEndPoint.Parse("127.0.0.3:7000"),
            [new ApiBackend("a", IPEndPoint.Parse("127.0.0.4:7001")), new ApiBackend("b", IPEndPoint.Parse("127.0.0.5:7001"))],
            new HealthCheckTiming(TimeSpan.FromMilliseconds(500), Fall: 3, Rise: 4));

        var text = configuration.Render();

        Assert.Contains("    bind 127.0.0.3:7000\n", text);
        Assert.Contains("    default-server check check-ssl verify none inter 500ms fall 3 rise 4\n", text);
        Assert.Contains("    server a 127.0.0.4:7001\n", text);
        Assert.Contains("    server b 127.0.0.5:7001\n", text);
    }
}
