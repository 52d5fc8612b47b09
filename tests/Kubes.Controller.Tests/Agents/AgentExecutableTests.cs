using Kubes.Controller.Agents;
using Kubes.Controller.Tests.EndToEnd;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Agents;

/// <summary>Real files of this build: the agent 'dotnet build' publishes, the kubes apphost, a native program, a script.</summary>
public sealed class AgentExecutableTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_agent_dotnet_build_publishes_is_framework_dependent_and_needs_dotnet()
    {
        var agent = AgentExecutable.Inspect(KubesProcess.AgentBesideKubes);

        Assert.False(agent.RunsWithoutDotNet);
        Assert.Contains("framework-dependent", agent.Description);
    }

    [Fact]
    public void An_apphost_that_is_not_a_single_file_needs_its_dll_and_dotnet()
    {
        var kubes = AgentExecutable.Inspect(KubesProcess.Executable);

        Assert.False(kubes.RunsWithoutDotNet);
        Assert.Contains("loads its .dll", kubes.Description);
    }

    [Fact]
    public void A_native_executable_without_the_bundle_marker_runs_on_its_own()
    {
        Assert.True(AgentExecutable.Inspect("/bin/true").RunsWithoutDotNet);
    }

    [Fact]
    public void A_script_is_not_a_linux_executable()
    {
        var script = Path.Join(_folder.Path, "kubes-agent");
        File.WriteAllText(script, "#!/bin/sh\necho pretending\n");

        var inspected = AgentExecutable.Inspect(script);

        Assert.False(inspected.RunsWithoutDotNet);
        Assert.Contains("not a Linux (ELF) executable", inspected.Description);
    }

    [Fact]
    public void A_single_file_cut_short_is_not_trusted()
    {
        var content = File.ReadAllBytes(KubesProcess.AgentBesideKubes);
        var cut = Path.Join(_folder.Path, "kubes-agent");
        // The apphost and its marker come first; the bundled files and the bundle header follow, at the end.
        File.WriteAllBytes(cut, content[..(content.Length / 2)]);

        var inspected = AgentExecutable.Inspect(cut);

        Assert.False(inspected.RunsWithoutDotNet);
        Assert.Contains("cut short", inspected.Description);
    }
}
