using Amazon.EC2.Model;
using Kubes.Controller.Aws.LoadBalancing;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Aws.LoadBalancing;

[Collection(MotoServer.Collection)]
public sealed class LoadBalancingClientTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly AwsTag ClusterTag = new("kubes.io/cluster", "demo");
    private readonly AwsCallCounter calls = new();
    private string vpcId = "";
    private List<string> subnetIds = [];

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        using var ec2 = moto.Environment().CreateEc2Client();
        vpcId = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        foreach (var (zone, cidr) in new[] { ("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24") })
            subnetIds.Add((await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpcId, CidrBlock = cidr, AvailabilityZone = zone })).Subnet.SubnetId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private LoadBalancingClient Client(int? pageSize = null) =>
        new(moto.Environment(), new QueryClientOptions { Observer = calls, PageSize = pageSize });

    [Fact]
    public async Task A_network_load_balancer_round_trips_by_name_and_arn()
    {
        var elb = Client();

        var created = await elb.CreateLoadBalancerAsync(new CreateLoadBalancerRequest("demo-api", subnetIds)
        {
            Scheme = LoadBalancerScheme.Internal,
            Tags = [ClusterTag],
        });
        var byName = Assert.Single(await elb.DescribeLoadBalancersAsync(names: ["demo-api"]));
        var byArn = Assert.Single(await elb.DescribeLoadBalancersAsync(arns: [created.Arn]));

        Assert.Equal(created.Arn, byName.Arn);
        Assert.Equal(created.Arn, byArn.Arn);
        Assert.Equal("demo-api", byArn.Name);
        Assert.Equal("network", byName.Type);
        Assert.Equal("internal", byName.Scheme);
        Assert.Equal(vpcId, byName.VpcId);
        Assert.Equal(subnetIds.Order(), byName.SubnetIds.Order());
        Assert.Equal(["us-east-1a", "us-east-1b"], byName.Zones.Order());
        Assert.False(string.IsNullOrEmpty(byName.DnsName));

        await elb.DeleteLoadBalancerAsync(created.Arn);
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => elb.DescribeLoadBalancersAsync(names: ["demo-api"]));
        Assert.True(gone.IsNotFound);
        Assert.Equal("LoadBalancerNotFound", gone.Code);
        Assert.Equal("elasticloadbalancing", gone.Service);
        Assert.Contains("demo-api", gone.Message);
    }

    [Fact]
    public async Task A_target_group_round_trips_with_its_health_check()
    {
        var elb = Client();

        var created = await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest("demo-apiserver", vpcId, 6443)
        {
            HealthCheck = new TargetGroupHealthCheck { Protocol = "HTTPS", Path = "/readyz", IntervalSeconds = 10, HealthyThreshold = 2, UnhealthyThreshold = 2 },
            Tags = [ClusterTag],
        });
        var read = Assert.Single(await elb.DescribeTargetGroupsAsync(names: ["demo-apiserver"]));

        Assert.Equal((created.Arn, created.HealthCheck), (read.Arn, read.HealthCheck));
        Assert.Empty(read.LoadBalancerArns);
        Assert.Equal(("TCP", 6443, "instance", vpcId), (read.Protocol, read.Port, read.TargetType, read.VpcId));
        Assert.Equal(new TargetGroupHealthCheck { Protocol = "HTTPS", Port = "traffic-port", Path = "/readyz", IntervalSeconds = 10, HealthyThreshold = 2, UnhealthyThreshold = 2 }, read.HealthCheck);

        await elb.DeleteTargetGroupAsync(created.Arn);
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => elb.DescribeTargetGroupsAsync(arns: [created.Arn]));
        Assert.True(gone.IsNotFound);
        Assert.Equal("TargetGroupNotFound", gone.Code);
    }

    [Fact]
    public async Task Registered_targets_are_described_until_deregistered()
    {
        var elb = Client();
        var group = await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest("demo-ip", vpcId, 6443) { TargetType = TargetType.Ip });

        await elb.RegisterTargetsAsync(group.Arn, [new Target("10.0.1.10"), new Target("10.0.2.10", 6443)]);
        var registered = await elb.DescribeTargetHealthAsync(group.Arn);
        await elb.DeregisterTargetsAsync(group.Arn, [new Target("10.0.1.10")]);
        var remaining = await elb.DescribeTargetHealthAsync(group.Arn);

        Assert.Equal(["10.0.1.10", "10.0.2.10"], registered.Select(health => health.Target.Id).Order());
        Assert.All(registered, health => Assert.False(string.IsNullOrEmpty(health.State)));
        Assert.Equal(["10.0.2.10"], remaining.Select(health => health.Target.Id));
    }

    [Fact]
    public async Task A_tcp_listener_forwards_to_its_target_group_until_deleted()
    {
        var elb = Client();
        var loadBalancer = await elb.CreateLoadBalancerAsync(new CreateLoadBalancerRequest("demo-api", subnetIds));
        var group = await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest("demo-apiserver", vpcId, 6443));

        var created = await elb.CreateListenerAsync(loadBalancer.Arn, 6443, group.Arn);
        var listed = Assert.Single(await elb.DescribeListenersAsync(loadBalancer.Arn));
        var groupOfBalancer = Assert.Single(await elb.DescribeTargetGroupsAsync(loadBalancerArn: loadBalancer.Arn));

        Assert.Equal(created.Arn, listed.Arn);
        Assert.Equal(created.ForwardTargetGroupArns, listed.ForwardTargetGroupArns);
        Assert.Equal((loadBalancer.Arn, "TCP", 6443), (listed.LoadBalancerArn, listed.Protocol, listed.Port));
        Assert.Equal([group.Arn], listed.ForwardTargetGroupArns);
        Assert.Equal(group.Arn, groupOfBalancer.Arn);
        Assert.Equal([loadBalancer.Arn], groupOfBalancer.LoadBalancerArns);

        var inUse = await Assert.ThrowsAsync<AwsServiceException>(() => elb.DeleteTargetGroupAsync(group.Arn));
        Assert.True(inUse.IsDependencyConflict);
        await elb.DeleteListenerAsync(created.Arn);
        Assert.Empty(await elb.DescribeListenersAsync(loadBalancer.Arn));
        await elb.DeleteTargetGroupAsync(group.Arn);
        await elb.DeleteLoadBalancerAsync(loadBalancer.Arn);
        Assert.Empty(await elb.DescribeLoadBalancersAsync());
    }

    [Fact]
    public async Task Tags_are_added_and_described_twenty_resources_per_call()
    {
        var elb = Client();
        var arns = new List<string>();
        for (var i = 0; i < 25; i++)
            arns.Add((await elb.CreateTargetGroupAsync(new CreateTargetGroupRequest($"demo-{i}", vpcId, 6443) { Tags = [ClusterTag] })).Arn);

        await elb.AddTagsAsync(arns, [new AwsTag("kubes.io/role", "controller")]);
        var described = await elb.DescribeTagsAsync(arns);

        Assert.Equal(2, calls.Count("elasticloadbalancing", "AddTags"));
        Assert.Equal(2, calls.Count("elasticloadbalancing", "DescribeTags"));
        Assert.Equal(arns.Order(), described.Select(tags => tags.ResourceArn).Order());
        Assert.All(described, tags => Assert.Equal(
            [ClusterTag, new AwsTag("kubes.io/role", "controller")],
            tags.Tags.OrderBy(tag => tag.Key, StringComparer.Ordinal)));
    }

    [Fact]
    public async Task Describing_everything_follows_the_markers_across_pages()
    {
        var elb = Client(pageSize: 2);
        for (var i = 0; i < 5; i++)
            await elb.CreateLoadBalancerAsync(new CreateLoadBalancerRequest($"demo-{i}", subnetIds));

        var loadBalancers = await elb.DescribeLoadBalancersAsync();

        Assert.Equal(["demo-0", "demo-1", "demo-2", "demo-3", "demo-4"], loadBalancers.Select(loadBalancer => loadBalancer.Name).Order());
        Assert.Equal(3, calls.Count("elasticloadbalancing", "DescribeLoadBalancers"));
    }
}
