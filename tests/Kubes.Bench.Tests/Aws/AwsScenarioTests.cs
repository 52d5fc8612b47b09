using Kubes.Bench.Aws;

namespace Kubes.Bench.Tests.Aws;

[Collection(SmokeRun.Name)]
public sealed class AwsScenarioTests
{
    [Fact]
    public async Task Up_a_no_op_up_and_destroy_of_the_default_cluster_run_against_moto()
    {
        var output = new StringWriter();
        var failures = await AwsScenario.RunAsync(runs: 1, output, withLargeCluster: false);

        Assert.True(failures.Count == 0, output.ToString());
        Assert.Contains("| up (no-op) |     1/1 |                 0 |", output.ToString());
    }
}
