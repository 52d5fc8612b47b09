using Kubes.Agent.Configuration;
using Kubes.Agent.Services;
using Kubes.Agent.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Services;

public sealed class ProcessServiceManagerTests : IAsyncLifetime
{
    private readonly TempRoot _root = new();
    private ProcessServiceManager _services = null!;

    public Task InitializeAsync()
    {
        _services = new ProcessServiceManager(new AgentPaths(_root.Path), NullLogger<ProcessServiceManager>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _root.Dispose();
    }

    private static SystemdUnit Sleeper(string restart = "always") => new()
    {
        Name = "sleeper",
        Description = "sleeps",
        ExecStart = ["/bin/sleep", "600"],
        Restart = restart,
        RestartSec = TimeSpan.FromMilliseconds(100),
        TimeoutStopSec = TimeSpan.FromSeconds(5),
    };

    private static async Task<int> WaitForAsync(Func<int?> pid, Func<int, bool> accept)
    {
        for (var i = 0; i < 200; i++)
        {
            if (pid() is { } value && accept(value) && Posix.IsAlive(value))
            {
                return value;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the service did not reach the expected state within 10s");
    }

    [Fact]
    public async Task Runs_the_units_ExecStart_with_a_pid_file_and_stops_it()
    {
        await _services.InstallUnitAsync(Sleeper(), CancellationToken.None);
        await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
        // The launcher shell execs the service: the pid stays, the command line becomes the unit's.
        var pid = await WaitForAsync(() => _services.ProcessIdOf("sleeper"),
            p => Posix.CommandLine(p)?.SequenceEqual(["/bin/sleep", "600"]) == true);

        Assert.True(File.Exists(_root.Join("etc", "systemd", "system", "sleeper.service")));
        Assert.Equal(pid.ToString(), File.ReadAllText(_services.PidFile("sleeper")).Trim());
        Assert.True(await _services.IsActiveAsync("sleeper", CancellationToken.None));

        await _services.StopAsync("sleeper", CancellationToken.None);

        Assert.False(Posix.IsAlive(pid));
        Assert.False(File.Exists(_services.PidFile("sleeper")));
        Assert.False(await _services.IsActiveAsync("sleeper", CancellationToken.None));
    }

    [Fact]
    public async Task A_killed_service_is_restarted_per_Restart_always()
    {
        await _services.InstallUnitAsync(Sleeper(), CancellationToken.None);
        await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
        var first = await WaitForAsync(() => _services.ProcessIdOf("sleeper"), _ => true);

        Posix.Kill(first, Posix.SigKill);
        var second = await WaitForAsync(() => _services.ProcessIdOf("sleeper"), p => p != first);

        Assert.NotEqual(first, second);
        Assert.Equal(second.ToString(), File.ReadAllText(_services.PidFile("sleeper")).Trim());
    }

    [Fact]
    public async Task With_Restart_no_a_killed_service_stays_down()
    {
        await _services.InstallUnitAsync(Sleeper("no"), CancellationToken.None);
        await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
        var pid = await WaitForAsync(() => _services.ProcessIdOf("sleeper"), _ => true);

        Posix.Kill(pid, Posix.SigKill);
        for (var i = 0; i < 200 && await _services.IsActiveAsync("sleeper", CancellationToken.None); i++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(300);
        Assert.False(await _services.IsActiveAsync("sleeper", CancellationToken.None));
        Assert.Null(_services.ProcessIdOf("sleeper"));
    }

    [Fact]
    public async Task A_service_left_running_by_a_killed_agent_is_replaced_not_doubled()
    {
        await _services.InstallUnitAsync(Sleeper(), CancellationToken.None);
        using var leftover = System.Diagnostics.Process.Start("/bin/sleep", "600");
        Directory.CreateDirectory(Path.GetDirectoryName(_services.PidFile("sleeper"))!);
        File.WriteAllText(_services.PidFile("sleeper"), leftover.Id + "\n");

        await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
        var pid = await WaitForAsync(() => _services.ProcessIdOf("sleeper"), _ => true);
        await leftover.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.NotEqual(leftover.Id, pid);
        Assert.True(leftover.HasExited);
    }

    [Fact]
    public async Task A_pid_file_naming_an_unrelated_process_leaves_that_process_alone()
    {
        await _services.InstallUnitAsync(Sleeper(), CancellationToken.None);
        using var unrelated = System.Diagnostics.Process.Start("/bin/sleep", "601");
        Directory.CreateDirectory(Path.GetDirectoryName(_services.PidFile("sleeper"))!);
        File.WriteAllText(_services.PidFile("sleeper"), unrelated.Id + "\n");
        try
        {
            await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
            await WaitForAsync(() => _services.ProcessIdOf("sleeper"), _ => true);

            Assert.False(unrelated.HasExited);
        }
        finally
        {
            unrelated.Kill();
        }
    }

    [Fact]
    public async Task Output_goes_to_the_services_log_under_the_root()
    {
        await _services.InstallUnitAsync(new SystemdUnit
        {
            Name = "talker", Description = "talks", Restart = "no",
            ExecStart = ["/bin/sh", "-c", "echo to-stdout; echo to-stderr >&2; exec sleep 600"],
        }, CancellationToken.None);
        await _services.EnableAndStartAsync("talker", CancellationToken.None);
        var log = _services.LogFile("talker");
        for (var i = 0; i < 200 && !(File.Exists(log) && File.ReadAllText(log).Contains("to-stderr")); i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains("to-stdout", File.ReadAllText(log));
        Assert.Contains("to-stderr", File.ReadAllText(log));
        Assert.StartsWith(_root.Path, log);
    }
}
