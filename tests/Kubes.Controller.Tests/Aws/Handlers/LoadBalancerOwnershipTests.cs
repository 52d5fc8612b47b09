using Amazon.EC2.Model;
using Kubes.Controller.Aws.LoadBalancing;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Aws.Handlers;

/// <summary>ELBv2 resources are found by name: these make sure a name never hands one cluster another's.</summary>
[Collection(MotoServer.Collection)]
public sealed class LoadBalancerOwnershipTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Destroying_one_of_two_clusters_whose_names_share_a_long_prefix_leaves_the_others_load_balancer()
    {
        using var blue = new AwsClusterHarness(moto, spec => spec with { Name = "platform-production-eu-west-blue" });
        using var green = new AwsClusterHarness(moto, spec => spec with { Name = "platform-production-eu-west-green" });
        Assert.True((await blue.UpAsync()).Succeeded);
        Assert.True((await green.UpAsync()).Succeeded);

        var (_, destroyed) = await blue.Reconciler().DestroyAsync(new RecordingProgress(), CancellationToken.None);

        Assert.True(destroyed.Succeeded);
        var greenName = AwsClusterModel.LoadBalancerName(green.Spec.Name);
        var survivor = Assert.Single(await green.Clients.LoadBalancing.DescribeLoadBalancersAsync(names: [greenName]));
        Assert.Equal(greenName, survivor.Name);
        Assert.Single(await green.Clients.LoadBalancing.DescribeTargetGroupsAsync(names: [greenName]));
        var (plan, _) = await green.Reconciler().PlanAsync(green.Desired, CancellationToken.None);
        Assert.True(plan.IsEmpty, string.Join("\n", plan.Changes.Select(c => $"{c.Action} {c.Key}")));
    }

    [Fact]
    public async Task A_load_balancer_with_the_clusters_name_but_another_owner_is_neither_adopted_nor_deleted()
    {
        using var cluster = new AwsClusterHarness(moto);
        var name = AwsClusterModel.LoadBalancerName(cluster.Spec.Name);
        var foreign = await CreateForeignLoadBalancerAsync(cluster, name);

        var found = await cluster.Reconciler().FindAllAsync(CancellationToken.None);
        Assert.DoesNotContain(found, r => r.Key == AwsClusterModel.ApiLoadBalancer);

        var up = await cluster.UpAsync();
        var refused = Assert.Single(up.Failed);
        Assert.Equal(AwsClusterModel.ApiLoadBalancer, refused.Change.Key);
        Assert.Contains($"a load balancer named {name} already exists ({foreign}) and belongs to cluster someone-else", refused.Reason);

        var (plan, destroyed) = await cluster.Reconciler().DestroyAsync(new RecordingProgress(), CancellationToken.None);
        Assert.True(destroyed.Succeeded, string.Join("\n", destroyed.Failed.Select(f => $"{f.Change.Key}: {f.Reason}")));
        Assert.DoesNotContain(plan.Changes, c => c.Key == AwsClusterModel.ApiLoadBalancer);
        Assert.Equal(foreign, Assert.Single(await cluster.Clients.LoadBalancing.DescribeLoadBalancersAsync(names: [name])).Arn);
    }

    private static async Task<string> CreateForeignLoadBalancerAsync(AwsClusterHarness cluster, string name)
    {
        var ec2 = cluster.Clients.Ec2;
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.99.0.0/16" })).Vpc.VpcId;
        var subnets = new List<string>();
        foreach (var (zone, cidr) in new[] { ("us-east-1a", "10.99.1.0/24"), ("us-east-1b", "10.99.2.0/24") })
            subnets.Add((await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = cidr, AvailabilityZone = zone }))
                .Subnet.SubnetId);
        var lb = await cluster.Clients.LoadBalancing.CreateLoadBalancerAsync(new CreateLoadBalancerRequest(name, subnets)
        {
            Scheme = LoadBalancerScheme.Internal,
            Tags = [new AwsTag(ClusterTags.Cluster, "someone-else")],
        });
        return lb.Arn;
    }
}
