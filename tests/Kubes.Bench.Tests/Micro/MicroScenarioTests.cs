using Kubes.Bench.Micro;

namespace Kubes.Bench.Tests.Micro;

[Collection(SmokeRun.Name)]
public sealed class MicroScenarioTests
{
    [Fact]
    public void Every_micro_benchmark_runs_once()
    {
        Assert.True(MicroScenario.Run([], once: true));
    }
}
