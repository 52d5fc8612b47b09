using Kubes.Controller.Local;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Local.Haproxy;

/// <summary>
/// The <c>local-load-balancer</c> resource through the reconciler, on a bridge of the test's own: <c>up</c> starts HAProxy
/// on the VPC's <c>.3</c> over the controller, a dead one is planned as stopped and started again, <c>destroy</c> stops it.
/// </summary>
[Collection(LocalTestCollection.Name)]
public sealed class LocalApiLoadBalancerHandlerTests
{
    [Fact]
    public async Task Up_starts_haproxy_on_the_api_endpoint_a_dead_one_is_restarted_and_destroy_stops_it()
    {
        await using var cluster = await LocalClusterHarness.StartAsync(_ => IdentityScript.Text, etcd: 0, nodes: 0, controllers: 1);
        var loadBalancer = cluster.Provider.ApiLoadBalancer;
        var endpoint = LocalEndpoints.Of(cluster.Topology).ApiServer;
        var controller = Assert.Single(cluster.Topology.SlotsOf(InstanceRole.Controller));

        var up = await cluster.UpAsync();

        Assert.True(up.Succeeded, LocalClusterHarness.Describe(up));
        var running = loadBalancer.Read();
        Assert.True(running.IsRunning);
        Assert.Contains($"    bind {endpoint}\n", running.Configuration);
        Assert.Contains($"    server {controller.Name} {controller.PrivateIp}:6443\n", running.Configuration);
        Assert.True(await TcpProbe.AcceptsAsync(endpoint, CancellationToken.None));
        Assert.Empty((await cluster.PlanAsync()).Changes);

        // A crash of HAProxy (or of the kubes that ran it, followed by a reboot) leaves its configuration without a process.
        await loadBalancer.StopAsync(CancellationToken.None);
        var change = Assert.Single((await cluster.PlanAsync()).Changes);
        Assert.Equal(LocalClusterModel.LoadBalancer, change.Key);
        Assert.True((await cluster.UpAsync()).Succeeded);
        Assert.True(loadBalancer.Read().IsRunning);

        var destroyed = await cluster.DestroyAsync();

        Assert.True(destroyed.Succeeded, LocalClusterHarness.Describe(destroyed));
        Assert.False(loadBalancer.Read().IsRunning);
        Assert.Empty(LocalProcessTrees.MembersOf(loadBalancer.TreeId, null));
        Assert.False(File.Exists(loadBalancer.ConfigurationPath));
    }
}
