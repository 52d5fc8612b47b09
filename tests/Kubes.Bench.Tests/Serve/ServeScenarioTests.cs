using Kubes.Bench.Serve;

namespace Kubes.Bench.Tests.Serve;

[Collection(SmokeRun.Name)]
public sealed class ServeScenarioTests
{
    [Fact]
    public async Task A_few_agents_all_join_certify_and_report_without_an_error()
    {
        var output = new StringWriter();
        var runs = await ServeScenario.RunAsync(new ServeOptions(Agents: 6, Runs: 1, WarmUpAgents: 2), output);

        var run = Assert.Single(runs);
        var errors = run.Crowd.Join.Errors.Concat(run.Crowd.Certify.Errors).Concat(run.Crowd.Report.Errors);
        Assert.True(!errors.Any(), string.Join("\n", errors) + "\n" + output);
        Assert.Equal(6, run.Crowd.Report.Count);
        Assert.Equal(6, run.Ready);
        Assert.True(run.Crowd.CertificatesIssued >= 6, output.ToString());
        Assert.Contains("| run |    call |", output.ToString());
    }

    [Fact]
    public async Task Agents_arriving_at_a_rate_are_all_served()
    {
        var runs = await ServeScenario.RunAsync(new ServeOptions(Agents: 6, Runs: 1, AgentsPerSecond: 20, WarmUpAgents: 1), TextWriter.Null);

        Assert.Equal(6, Assert.Single(runs).Ready);
    }
}
