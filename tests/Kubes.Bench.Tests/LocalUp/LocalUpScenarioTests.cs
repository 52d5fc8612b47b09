using Kubes.Bench.LocalUp;

namespace Kubes.Bench.Tests.LocalUp;

[Collection(SmokeRun.Name)]
public sealed class LocalUpScenarioTests
{
    [Fact]
    public async Task A_small_local_cluster_reaches_a_healthy_etcd_tier_and_a_bare_etcd_is_timed_beside_it()
    {
        var output = new StringWriter();
        var run = Assert.Single(await LocalUpScenario.RunAsync(runs: 1, small: true, output));

        Assert.True(run.Healthy, output.ToString());
        Assert.True(run.BareEtcd > TimeSpan.Zero);
        Assert.Contains(run.Timeline, entry => entry.Line.StartsWith("etcd tier healthy", StringComparison.Ordinal));
    }
}
