using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Steps;

/// <summary>A rendered file, a unit and its start, run by the step runner as a component's steps are.</summary>
public sealed class StartServiceStepTests : IAsyncLifetime
{
    private readonly TempRoot _root = new();
    private ProcessServiceManager _services = null!;
    private AgentPaths _paths = null!;

    public Task InitializeAsync()
    {
        _paths = new AgentPaths(_root.Path);
        _services = new ProcessServiceManager(_paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _root.Dispose();
    }

    private IReadOnlyList<IInstallStep> Steps(string config, string environment)
    {
        var configFile = _paths.Under("/etc/sleeper/config");
        var environmentFile = _paths.Under("/etc/default/sleeper");
        var unit = new SystemdUnit
        {
            Name = "sleeper", Description = "sleeps", ExecStart = ["/bin/sleep", "600"], RestartSec = TimeSpan.FromMilliseconds(100),
            EnvironmentFiles = [environmentFile],
        };
        return
        [
            new RenderFileStep("render-sleeper-config", configFile, config, AtomicFile.Readable),
            new RenderFileStep("render-sleeper-environment", environmentFile, environment, AtomicFile.OwnerOnly),
            new InstallUnitStep(unit, _services),
            new StartServiceStep(unit, _services, [configFile]),
        ];
    }

    private async Task<List<string>> RunAsync(IReadOnlyList<IInstallStep> steps)
    {
        var applied = new List<string>();
        var runner = new StepRunner(new StepJournal(_paths.JournalFile, TimeProvider.System), NullLogger<StepRunner>.Instance);
        await runner.RunAsync(steps, step =>
        {
            applied.Add(step.Name);
            return Task.CompletedTask;
        }, CancellationToken.None);
        return applied;
    }

    [Fact]
    public async Task The_service_restarts_when_a_file_it_reads_or_its_environment_file_changed_and_only_then()
    {
        Assert.Equal(["render-sleeper-config", "render-sleeper-environment", "configure-sleeper", "start-sleeper"],
            await RunAsync(Steps("a", "A=1\n")));
        var first = _services.ProcessIdOf("sleeper");
        Assert.NotNull(first);

        Assert.Empty(await RunAsync(Steps("a", "A=1\n")));
        Assert.Equal(first, _services.ProcessIdOf("sleeper"));

        Assert.Equal(["render-sleeper-config", "start-sleeper"], await RunAsync(Steps("b", "A=1\n")));
        var second = _services.ProcessIdOf("sleeper");
        Assert.NotEqual(first, second);

        Assert.Equal(["render-sleeper-environment", "start-sleeper"], await RunAsync(Steps("b", "A=2\n")));
        var third = _services.ProcessIdOf("sleeper")!.Value;
        Assert.NotEqual(second, third);
        Assert.Contains("A=2", File.ReadAllText($"/proc/{third}/environ").Split('\0'));
    }
}
