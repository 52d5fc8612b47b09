using Kubes.Controller.Operations.Planning;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Providers.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Operations.Planning;

public sealed class ClusterPlanTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_live_plan_asks_the_handlers_to_find_and_compare_and_changes_nothing()
    {
        using var session = new ScriptedClusterSession(_folder.Path);

        var plan = await ClusterPlan.LiveAsync(session, CancellationToken.None);

        Assert.Equal((ChangeAction.Create, ScriptedClusterSession.Thing), (Assert.Single(plan.Changes).Action, plan.Changes[0].Key));
        Assert.Equal(["handlers without launches"], session.Log);
    }

    [Theory]
    [InlineData(ProviderKind.Aws, "bucket/state")]
    [InlineData(ProviderKind.Local, "local-instance/etcd-0")]
    public void An_offline_plan_creates_the_providers_whole_model(ProviderKind provider, string oneOfThem)
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.For(provider, "demo"));

        var plan = ClusterPlan.Offline(topology);

        Assert.All(plan.Changes, change => Assert.Equal(ChangeAction.Create, change.Action));
        Assert.Contains(plan.Changes, change => change.Key.ToString() == oneOfThem);
    }
}
