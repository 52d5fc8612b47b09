using System.Net;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Aws;

/// <summary>The AWS provider through the seam, against the emulator: what it knows offline, and a cluster opened with it.</summary>
[Collection(MotoServer.Collection)]
public sealed class AwsProviderTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly ClusterSpec Spec = ClusterSpecDefaults.Aws("seam") with { Image = "ami-1e749f67" };

    public Task InitializeAsync() => moto.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<IClusterSession> OpenAsync(IAwsCallObserver? calls = null) =>
        ClusterProviders.OpenAsync(Spec, new ProviderOptions { AwsEnvironment = moto.Environment(), AwsCalls = calls }, CancellationToken.None);

    [Fact]
    public void Up_changes_a_cloud_so_it_asks_first_and_serve_listens_on_loopback_behind_a_tunnel()
    {
        Assert.True(AwsProvider.Instance.UpNeedsConsent);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 7443), AwsProvider.Instance.DefaultCoordinatorListen(ClusterTopology.From(Spec)));
    }

    [Fact]
    public void The_offline_model_names_the_default_state_bucket_after_an_unknown_account()
    {
        var bucket = AwsProvider.Instance.OfflineResources(ClusterTopology.From(Spec)).OfType<StateBucketResource>().Single();

        Assert.Equal($"kubes-{AwsProvider.UnknownAccount}-seam", bucket.BucketName);
    }

    [Fact]
    public async Task Opening_a_cluster_learns_the_account_and_so_the_state_bucket_and_changes_nothing()
    {
        var calls = new AwsCallCounter();
        using var session = await OpenAsync(calls);

        Assert.Equal(0, calls.Mutations);
        var account = ((AwsClusterSession)session).Account;
        Assert.Equal($"s3://kubes-{account}-seam", session.StateDescription);
        Assert.Equal($"kubes-{account}-seam", session.DesiredResources().OfType<StateBucketResource>().Single().BucketName);
        Assert.Equal("in us-east-1", session.Where);
        Assert.NotNull(session.CallerIdentity);
        Assert.Null(session.InstanceServices);
    }

    [Fact]
    public async Task Every_resource_of_the_model_has_its_handler_and_a_lost_connection_is_worth_waiting_out()
    {
        using var session = await OpenAsync();

        var handled = session.Handlers(launches: null).Select(h => h.Type).ToHashSet();
        Assert.All(session.DesiredResources(), resource => Assert.Contains(resource.Key.Type, handled));
        Assert.Equal(FailureKind.Transient, session.Classify(new HttpRequestException("connection reset")));
    }

    [Fact]
    public async Task A_plan_launches_nothing_so_it_never_looks_the_image_up()
    {
        var calls = new AwsCallCounter();
        using var session = await OpenAsync(calls);

        await session.Reconciler(launches: null).PlanAsync(session.DesiredResources(), CancellationToken.None);

        Assert.DoesNotContain(calls.Calls, call => call.Action == "DescribeImages");
        Assert.Equal(0, calls.Mutations);
    }
}
