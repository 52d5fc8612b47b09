using Amazon.EC2.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Aws.Handlers;

[Collection(MotoServer.Collection)]
public sealed class AwsReconcilerTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Up_from_empty_creates_every_resource_and_a_second_up_changes_nothing()
    {
        using var cluster = new AwsClusterHarness(moto);

        var first = await cluster.UpAsync();
        Assert.True(first.Succeeded, string.Join("\n", first.Failed.Concat(first.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}")));
        Assert.Equal(cluster.Desired.Count, first.Applied);

        var (plan, _) = await cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None);
        Assert.True(plan.IsEmpty, Describe(plan));

        var before = cluster.Calls.Mutations;
        var second = await cluster.UpAsync();
        Assert.Equal(0, second.Applied);
        Assert.Equal(before, cluster.Calls.Mutations);
    }

    [Fact]
    public async Task Instances_come_up_one_per_slot_at_the_fixed_address_with_imdsv2_and_hop_limit_one()
    {
        using var cluster = new AwsClusterHarness(moto);
        Assert.True((await cluster.UpAsync()).Succeeded);

        var instances = (await cluster.Clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter { Name = $"tag:{ClusterTags.Cluster}", Values = ["demo"] }],
        })).Reservations.SelectMany(r => r.Instances).ToList();

        Assert.Equal(cluster.Topology.Slots.Count, instances.Count);
        foreach (var slot in cluster.Topology.Slots)
        {
            var instance = Assert.Single(instances, i => i.Tags.Any(t => t.Key == ClusterTags.Resource && t.Value == $"instance/{slot.Name}"));
            if (slot.PrivateIp is not null) Assert.Equal(slot.PrivateIp.ToString(), instance.PrivateIpAddress);
            Assert.Equal("required", instance.MetadataOptions.HttpTokens.Value);
            Assert.Equal(1, instance.MetadataOptions.HttpPutResponseHopLimit);
            Assert.Equal(slot.Zone.Zone, instance.Placement.AvailabilityZone);
        }
    }

    [Fact]
    public async Task A_deleted_security_group_rule_shows_in_the_plan_as_exactly_that_change_and_up_restores_it()
    {
        using var cluster = new AwsClusterHarness(moto);
        Assert.True((await cluster.UpAsync()).Succeeded);
        var ids = new ResolvedIds(await cluster.Reconciler().FindAllAsync(CancellationToken.None));
        var etcdGroup = ((IResolvedIds)ids).Require(SecurityGroupRules.Group("etcd"));
        var controllerGroup = ((IResolvedIds)ids).Require(SecurityGroupRules.Group("controller"));

        var live = (await cluster.Clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [etcdGroup] }))
            .SecurityGroups.Single().IpPermissions.Single(p => p.FromPort == 2379);
        await cluster.Clients.Ec2.RevokeSecurityGroupIngressAsync(new RevokeSecurityGroupIngressRequest
        {
            GroupId = etcdGroup,
            IpPermissions = [live],
        });

        var (plan, _) = await cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None);
        var change = Assert.Single(plan.Changes);
        Assert.Equal(ChangeAction.Update, change.Action);
        Assert.Equal(SecurityGroupRules.Rules(SecurityGroupRules.Group("etcd")), change.Key);
        var field = Assert.Single(change.Fields);
        Assert.Equal($"tcp 2379 from {controllerGroup}", field.To);
        Assert.Null(field.From);

        Assert.True((await cluster.UpAsync()).Succeeded);
        var (after, _) = await cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None);
        Assert.True(after.IsEmpty);
    }

    [Fact]
    public async Task An_ipv6_rule_added_by_hand_shows_in_the_plan_as_exactly_that_change_and_up_revokes_it()
    {
        using var cluster = new AwsClusterHarness(moto);
        Assert.True((await cluster.UpAsync()).Succeeded);
        var ids = new ResolvedIds(await cluster.Reconciler().FindAllAsync(CancellationToken.None));
        var etcdGroup = ((IResolvedIds)ids).Require(SecurityGroupRules.Group("etcd"));
        await cluster.Clients.Ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest
        {
            GroupId = etcdGroup,
            IpPermissions = [new IpPermission { IpProtocol = "tcp", FromPort = 2379, ToPort = 2379, Ipv6Ranges = [new Ipv6Range { CidrIpv6 = "::/0" }] }],
        });

        var (plan, _) = await cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None);
        var change = Assert.Single(plan.Changes);
        Assert.Equal(SecurityGroupRules.Rules(SecurityGroupRules.Group("etcd")), change.Key);
        Assert.Equal(new FieldChange("ingress", "tcp 2379 from ::/0", null), Assert.Single(change.Fields));

        Assert.True((await cluster.UpAsync()).Succeeded);
        var live = (await cluster.Clients.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [etcdGroup] }))
            .SecurityGroups.Single();
        Assert.DoesNotContain(live.IpPermissions, p => p.Ipv6Ranges?.Count > 0);
        Assert.Contains(live.IpPermissions, p => p.FromPort == 2379);
        var (after, _) = await cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None);
        Assert.True(after.IsEmpty, Describe(after));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(30)]
    [InlineData(50)]
    public async Task A_run_cancelled_part_way_is_healed_by_the_next_up_with_one_instance_per_slot(int cancelAfter)
    {
        using var cluster = new AwsClusterHarness(moto);
        using (var cancel = new CancellationTokenSource())
        {
            var reconciler = cluster.Reconciler();
            var progress = new CancelAfterProgress(cancel, afterDone: cancelAfter);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                reconciler.ApplyAsync(cluster.Desired, progress, cancel.Token));
        }
        // moto ignores CreateVolume's client token (AWS honours it), and a request cancelled on our side can still
        // land after the resumed run has looked: let what is in flight land first.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var resumed = await cluster.UpAsync();
        Assert.True(resumed.Succeeded, string.Join("\n", resumed.Failed.Concat(resumed.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}")));
        var (plan, _) = await cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None);
        Assert.True(plan.IsEmpty, Describe(plan));

        var instances = (await cluster.Clients.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest
        {
            Filters = [new Filter { Name = $"tag:{ClusterTags.Cluster}", Values = ["demo"] }],
        })).Reservations.SelectMany(r => r.Instances).Where(i => i.State.Name != "terminated").ToList();
        Assert.Equal(cluster.Topology.Slots.Count, instances.Count);
    }

    [Fact]
    public async Task Destroy_leaves_nothing_tagged_with_the_cluster()
    {
        using var cluster = new AwsClusterHarness(moto);
        Assert.True((await cluster.UpAsync()).Succeeded);

        var (plan, result) = await cluster.Reconciler().DestroyAsync(new RecordingProgress(), CancellationToken.None);
        Assert.True(result.Succeeded, string.Join("\n", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}")));
        Assert.All(plan.Changes, c => Assert.Equal(ChangeAction.Delete, c.Action));

        var left = await cluster.Reconciler().FindAllAsync(CancellationToken.None);
        Assert.Empty(left);
        // Read back with plain describes, independent of the handlers (moto's DescribeTags keeps tags of deleted
        // resources, so it cannot be the witness).
        var filter = new List<Filter> { new() { Name = $"tag:{ClusterTags.Cluster}", Values = ["demo"] } };
        var ec2 = cluster.Clients.Ec2;
        Assert.Empty((await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = filter })).Vpcs ?? []);
        Assert.Empty((await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = filter })).Subnets ?? []);
        Assert.Empty((await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = filter })).SecurityGroups ?? []);
        Assert.Empty((await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { Filters = filter })).Volumes ?? []);
        Assert.Empty((await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { Filters = filter })).Addresses ?? []);
        Assert.Empty((await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = filter })).RouteTables ?? []);
        Assert.Empty((await ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = filter })).InternetGateways ?? []);
        Assert.All((await ec2.DescribeNatGatewaysAsync(new DescribeNatGatewaysRequest { Filter = filter })).NatGateways ?? [],
            n => Assert.Equal("deleted", n.State.Value));
        Assert.All((await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = filter })).Reservations?
                .SelectMany(r => r.Instances) ?? [],
            i => Assert.Equal("terminated", i.State.Name.Value));
        Assert.Empty(await cluster.Clients.Iam.ListRolesAsync($"/kubes/demo/"));
        Assert.Empty(await cluster.Clients.Iam.ListInstanceProfilesAsync($"/kubes/demo/"));
        Assert.DoesNotContain((await cluster.Clients.S3.ListBucketsAsync()).Buckets ?? [], b => b.BucketName == cluster.State.Bucket);
    }

    [Fact]
    public async Task Destroy_terminates_every_instance_before_it_detaches_or_deletes_a_volume()
    {
        using var cluster = new AwsClusterHarness(moto);
        Assert.True((await cluster.UpAsync()).Succeeded);
        var before = cluster.Calls.Total;

        var (_, result) = await cluster.Reconciler().DestroyAsync(new RecordingProgress(), CancellationToken.None);

        Assert.True(result.Succeeded, string.Join("\n", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}")));
        var mutations = cluster.Calls.Calls.Skip(before).Where(c => c.Mutating).Select(c => c.Action).ToList();
        Assert.Equal(cluster.Topology.Slots.Count, mutations.Count(a => a == "TerminateInstances"));
        Assert.Equal(cluster.Topology.Slots.Count(s => s.HasDataVolume), mutations.Count(a => a == "DeleteVolume"));
        var firstVolumeCall = mutations.FindIndex(a => a is "DetachVolume" or "DeleteVolume");
        Assert.True(mutations.LastIndexOf("TerminateInstances") < firstVolumeCall, string.Join(", ", mutations));
        // A terminated instance lets go of its volumes: nothing is left to detach, and nothing was pulled from a running one.
        Assert.DoesNotContain("DetachVolume", mutations);
    }

    private static string Describe(Plan plan) => string.Join("\n", plan.Changes.Select(c =>
        $"{c.Action} {c.Key}: {string.Join("; ", c.Fields.Select(f => $"{f.Field} {f.From} -> {f.To}"))}"));

    private sealed class CancelAfterProgress(CancellationTokenSource cancel, int afterDone) : IApplyProgress
    {
        private int _done;

        public void Started(ResourceChange change) { }
        public void Succeeded(ResourceChange change, TimeSpan elapsed)
        {
            if (Interlocked.Increment(ref _done) == afterDone) cancel.Cancel();
        }
        public void Failed(ResourceChange change, Exception error) { }
        public void Skipped(ResourceChange change, string reason) { }
        public void Retrying(ResourceChange change, Exception error, int attempt, TimeSpan delay) { }
    }
}
