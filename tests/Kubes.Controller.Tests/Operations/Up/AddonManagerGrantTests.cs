using Kubes.Controller.Operations.Access;
using Kubes.Controller.Operations.Kubeconfig;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Pki;
using Microsoft.Extensions.Time.Testing;

namespace Kubes.Controller.Tests.Operations.Up;

/// <summary>
/// The one binding up applies from outside the cluster: tried until the API answers, never longer than up follows the
/// agents, and what it binds (the end-to-end test sees it applied through the stand-in apiservers).
/// </summary>
public sealed class AddonManagerGrantTests
{
    [Fact]
    public void It_binds_the_add_on_managers_group_to_cluster_admin_and_nothing_else()
    {
        var binding = AddonManagerGrant.Binding();

        Assert.Equal(KubernetesGroups.AddonManagers, binding.Metadata.Name);
        Assert.Equal(("ClusterRole", "cluster-admin"), (binding.RoleRef.Kind, binding.RoleRef.Name));
        Assert.Equal([("Group", KubernetesGroups.AddonManagers)], binding.Subjects.Select(s => (s.Kind, s.Name)));
        Assert.DoesNotContain(binding.Subjects, s => s.Name == KubernetesGroups.Masters);
    }

    [Fact]
    public async Task Without_an_api_it_retries_each_interval_and_stops_with_the_last_reason_when_up_stops_following()
    {
        var time = new FakeTimeProvider();
        var attempts = 0;
        var grant = new AddonManagerGrant(_ =>
        {
            attempts++;
            throw new AccessException($"cluster demo has no API endpoint yet (attempt {attempts})");
        }, TimeSpan.FromSeconds(2), time);
        using var stop = new CancellationTokenSource();

        var running = grant.RunAsync(stop.Token, CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await WaitUntilAsync(() => attempts == i + 1);
            time.Advance(TimeSpan.FromSeconds(2));
        }
        await WaitUntilAsync(() => attempts == 4);
        await stop.CancelAsync();
        var problem = await running.WaitAsync(TimeSpan.FromSeconds(30));

        // One more try when up stops following, in case the API has just come up.
        Assert.Equal(5, attempts);
        Assert.Equal("cluster demo has no API endpoint yet (attempt 5)", problem);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
