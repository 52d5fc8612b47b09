using Kubes.Bench.Agent;
using Kubes.Bench.LocalUp;

namespace Kubes.Bench.Tests.Agent;

[Collection(SmokeRun.Name)]
public sealed class AgentScenarioTests
{
    [Fact]
    public async Task The_framework_dependent_agent_is_measured()
    {
        var agent = Path.Join(Path.GetDirectoryName(KubesExecutable.Path), "agent", "kubes-agent");
        var output = new StringWriter();

        var measured = await AgentScenario.RunAsync([agent], runs: 1, output, idleFor: TimeSpan.FromSeconds(1));

        Assert.True(measured == 1, output.ToString());
        Assert.Contains("needs .NET", output.ToString());
    }
}
