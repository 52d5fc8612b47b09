using Amazon.EC2.Model;
using Kubes.Controller.Aws.AutoScaling;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Tests.Fixtures;
using Filter = Amazon.EC2.Model.Filter;

namespace Kubes.Controller.Tests.Aws.AutoScaling;

[Collection(MotoServer.Collection)]
public sealed class AutoScalingClientTests(MotoServer moto) : IAsyncLifetime
{
    // One of the images moto ships with; DescribeImages would cost a second per test.
    private const string MotoUbuntuImage = "ami-1e749f67";
    private static readonly AutoScalingTag ClusterTag = new("kubes.io/cluster", "demo", PropagateAtLaunch: true);
    private readonly AwsCallCounter calls = new();
    private readonly List<string> subnetIds = [];
    private LaunchTemplateReference template = new("", "");

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        using var ec2 = moto.Environment().CreateEc2Client();
        var vpcId = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc.VpcId;
        foreach (var (zone, cidr) in new[] { ("us-east-1a", "10.0.1.0/24"), ("us-east-1b", "10.0.2.0/24") })
            subnetIds.Add((await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpcId, CidrBlock = cidr, AvailabilityZone = zone })).Subnet.SubnetId);
        var created = await ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = "demo-node",
            LaunchTemplateData = new RequestLaunchTemplateData { ImageId = MotoUbuntuImage, InstanceType = "t3.large" },
        });
        template = new LaunchTemplateReference(created.LaunchTemplate.LaunchTemplateId, "$Latest");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private AutoScalingClient Client(int? pageSize = null) =>
        new(moto.Environment(), new QueryClientOptions { Observer = calls, PageSize = pageSize });

    private CreateAutoScalingGroupRequest Group(string name, int min = 1, int max = 3, int? desired = null) =>
        new(name, template, subnetIds, min, max) { DesiredCapacity = desired, Tags = [ClusterTag, new("Name", name, PropagateAtLaunch: false)] };

    [Fact]
    public async Task A_group_round_trips_with_its_template_subnets_sizes_tags_and_instances()
    {
        var asg = Client();

        await asg.CreateAutoScalingGroupAsync(Group("demo-nodes", min: 1, max: 3, desired: 2));
        var group = Assert.Single(await asg.DescribeAutoScalingGroupsAsync(["demo-nodes"]));

        Assert.Equal("demo-nodes", group.Name);
        Assert.Equal(template, group.LaunchTemplate);
        Assert.Equal((1, 3, 2), (group.MinSize, group.MaxSize, group.DesiredCapacity));
        Assert.Equal(subnetIds, group.SubnetIds);
        Assert.Equal(
            [new AutoScalingTag("Name", "demo-nodes", false), ClusterTag],
            group.Tags.OrderBy(tag => tag.Key, StringComparer.Ordinal));
        Assert.Equal(2, group.Instances.Count);
        Assert.All(group.Instances, instance => Assert.StartsWith("i-", instance.InstanceId));

        await asg.DeleteAutoScalingGroupAsync("demo-nodes", forceDelete: true);
        Assert.Empty(await asg.DescribeAutoScalingGroupsAsync(["demo-nodes"]));
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => asg.DeleteAutoScalingGroupAsync("demo-nodes"));
        Assert.True(gone.IsNotFound);
        Assert.Equal("ValidationError", gone.Code);
        Assert.Contains("Auto Scaling group demo-nodes", gone.Message);
    }

    [Fact]
    public async Task Tags_marked_to_propagate_reach_the_instances_launched()
    {
        var asg = Client();
        await asg.CreateAutoScalingGroupAsync(Group("demo-nodes", desired: 2));
        using var ec2 = moto.Environment().CreateEc2Client();

        var reservations = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter("tag:kubes.io/cluster", ["demo"])],
        })).Reservations;

        Assert.Equal(2, reservations.SelectMany(reservation => reservation.Instances).Count());
    }

    [Fact]
    public async Task Updating_sizes_and_setting_the_desired_capacity_take_effect()
    {
        var asg = Client();
        await asg.CreateAutoScalingGroupAsync(Group("demo-nodes", min: 1, max: 3, desired: 1));

        await asg.UpdateAutoScalingGroupAsync(new UpdateAutoScalingGroupRequest("demo-nodes") { MinSize = 0, MaxSize = 5 });
        await asg.SetDesiredCapacityAsync("demo-nodes", 4);
        var group = Assert.Single(await asg.DescribeAutoScalingGroupsAsync(["demo-nodes"]));

        Assert.Equal((0, 5, 4), (group.MinSize, group.MaxSize, group.DesiredCapacity));
        Assert.Equal(4, group.Instances.Count);
    }

    [Fact]
    public async Task Describing_all_groups_follows_the_tokens_across_pages()
    {
        var asg = Client(pageSize: 2);
        for (var i = 0; i < 5; i++)
            await asg.CreateAutoScalingGroupAsync(Group($"demo-{i}", min: 0, max: 1, desired: 0));

        var groups = await asg.DescribeAutoScalingGroupsAsync();

        Assert.Equal(["demo-0", "demo-1", "demo-2", "demo-3", "demo-4"], groups.Select(group => group.Name).Order());
        Assert.Equal(3, calls.Count("autoscaling", "DescribeAutoScalingGroups"));
    }

    [Fact]
    public async Task Tags_filtered_by_key_and_value_find_only_the_cluster_groups()
    {
        var asg = Client();
        await asg.CreateAutoScalingGroupAsync(Group("demo-nodes", min: 0, max: 1, desired: 0));
        await asg.CreateAutoScalingGroupAsync(Group("other-nodes", min: 0, max: 1, desired: 0) with
        {
            Tags = [ClusterTag with { Value = "other" }],
        });

        var demo = await asg.DescribeTagsAsync("kubes.io/cluster", "demo");
        var anyCluster = await asg.DescribeTagsAsync("kubes.io/cluster");

        Assert.Equal([new AutoScalingGroupTag("demo-nodes", ClusterTag)], demo);
        Assert.Equal(["demo-nodes", "other-nodes"], anyCluster.Select(tag => tag.GroupName).Order());
    }
}
