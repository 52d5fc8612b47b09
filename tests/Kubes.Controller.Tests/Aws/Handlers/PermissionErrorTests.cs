using Amazon.EC2.Model;
using Amazon.Runtime;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Cli.Commands;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Tests.Fixtures;

namespace Kubes.Controller.Tests.Aws.Handlers;

/// <summary>AWS refusing a call for lack of permission: the operator reads the action, the resource and what to grant.</summary>
[Collection(MotoServer.Collection)]
public sealed class PermissionErrorTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_refused_launch_fails_that_instance_naming_the_action_the_resource_and_the_permission_to_grant()
    {
        using var proxy = new DenyingEc2Proxy(moto.Endpoint, "RunInstances");
        using var cluster = new AwsClusterHarness(moto, endpoints: proxy.Variables);

        var result = await cluster.UpAsync();

        var etcd = Assert.Single(result.Failed, f => f.Change.Key == new ResourceKey("instance", "etcd-0"));
        Assert.StartsWith("AWS ec2:RunInstances on instance/etcd-0 failed: UnauthorizedOperation: You are not authorized to perform " +
                          "this operation.", etcd.Reason);
        Assert.Contains("Grant that identity ec2:RunInstances", etcd.Reason);
        // Refused once, not retried: another attempt would be refused the same way.
        Assert.Equal(cluster.Topology.Slots.Count, cluster.Calls.Count("ec2", "RunInstances"));
        Assert.Contains(result.Skipped, s => s.Change.Key == AwsClusterModel.Attachment(cluster.Topology.Slots.First(x => x.HasDataVolume)));
    }

    [Fact]
    public async Task A_refused_call_outside_the_reconciler_prints_its_action_and_exits_1()
    {
        using var proxy = new DenyingEc2Proxy(moto.Endpoint, "DescribeVpcs");
        using var cluster = new AwsClusterHarness(moto, endpoints: proxy.Variables);
        var refused = await Assert.ThrowsAnyAsync<AmazonServiceException>(() => cluster.Clients.Ec2.DescribeVpcsAsync(new DescribeVpcsRequest()));
        using var stderr = new StringWriter();

        var exit = await CommandErrors.ReportAsync(refused, stderr);

        Assert.Equal(1, exit);
        Assert.Equal("error: AWS refused ec2:DescribeVpcs: UnauthorizedOperation: You are not authorized to perform this operation. " +
                     "Grant the identity running kubes ec2:DescribeVpcs (or run with a profile that has it: AWS_PROFILE) and run the " +
                     "command again.", stderr.ToString().TrimEnd());
    }

    [Fact]
    public async Task A_refused_describe_during_a_plan_names_the_action_and_the_resource_type()
    {
        using var proxy = new DenyingEc2Proxy(moto.Endpoint, "DescribeVolumes");
        using var cluster = new AwsClusterHarness(moto, endpoints: proxy.Variables);

        var refused = await Assert.ThrowsAsync<Controller.Aws.Query.AwsServiceException>(() =>
            cluster.Reconciler().PlanAsync(cluster.Desired, CancellationToken.None));

        Assert.Equal("DescribeVolumes", refused.Action);
        Assert.StartsWith("the cluster's volume", refused.Resource);
        Assert.Contains("Grant that identity ec2:DescribeVolumes", refused.Message);
    }
}
