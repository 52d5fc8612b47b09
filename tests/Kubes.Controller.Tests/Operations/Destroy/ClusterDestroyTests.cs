using Kubes.Controller.Operations.Destroy;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Tests.Aws.Handlers;
using Kubes.Controller.Tests.Providers.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Operations.Destroy;

public sealed class ClusterDestroyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Destroy_launches_nothing_deletes_what_it_finds_then_removes_the_providers_leftovers()
    {
        using var session = new ScriptedClusterSession(_folder.Path) { ThingExists = true };

        var (plan, result) = await ClusterDestroy.RunAsync(session, new RecordingProgress(), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(ChangeAction.Delete, Assert.Single(plan.Changes).Action);
        Assert.Equal(["handlers without launches", "start delete thing/a", "end delete thing/a", "remove leftovers"], session.Log);
    }

    [Fact]
    public async Task A_destroy_that_leaves_a_resource_keeps_the_leftovers_for_the_next_run()
    {
        using var session = new ScriptedClusterSession(_folder.Path) { ThingExists = true, ThingFails = true };

        var (_, result) = await ClusterDestroy.RunAsync(session, new RecordingProgress(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.DoesNotContain("remove leftovers", session.Log);
    }
}
