using Kubes.Controller.Agents;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Agents;

public sealed class AgentBinaryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_framework_dependent_agent_beside_kubes_is_refused_for_aws_with_the_release_command()
    {
        var refusal = AgentBinary.RefusalForAws(_ => null);

        Assert.NotNull(refusal);
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "agent", "kubes-agent"), refusal);
        Assert.Contains("framework-dependent", refusal);
        Assert.Contains(AgentBinary.ReleaseCommand, refusal);
        Assert.Contains("KUBES_AGENT_BINARY", refusal);
    }

    [Fact]
    public void An_agent_named_by_the_operator_is_taken_as_given()
    {
        var script = Path.Join(_folder.Path, "kubes-agent");
        File.WriteAllText(script, "#!/bin/sh\n");

        Assert.Null(AgentBinary.RefusalForAws(name => name == AgentBinary.OverrideVariable ? script : null));
        Assert.Equal(script, AgentBinary.Locate(name => name == AgentBinary.OverrideVariable ? script : null));
    }
}
