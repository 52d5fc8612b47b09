using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
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
        _services = new ProcessServiceManager(new AgentPaths(_root.Path), new CommandRunner(), NullLogger<ProcessServiceManager>.Instance);
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

    private static Dictionary<string, string> EnvironmentOf(int pid) =>
        File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v.Split('=', 2)).ToDictionary(v => v[0], v => v[1]);

    [Fact]
    public async Task Environment_EnvironmentFile_and_drop_ins_reach_the_service_in_systemds_order()
    {
        var file = _root.Join("etc", "default", "sleeper");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "# comment\nFROM_FILE=\"quoted value\"\nBOTH=file\n");
        await _services.InstallUnitAsync(Sleeper() with
        {
            Environment = [new("BOTH", "unit"), new("FROM_UNIT", "u")],
            EnvironmentFiles = [file, "-" + _root.Join("absent")],
            DropIns = [new SystemdDropIn { Name = "10-extra", Environment = [new("FROM_DROP_IN", "d")] }],
        }, CancellationToken.None);

        await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
        var environment = EnvironmentOf(await WaitForAsync(() => _services.ProcessIdOf("sleeper"),
            p => Posix.CommandLine(p)?.SequenceEqual(["/bin/sleep", "600"]) == true));

        Assert.Equal("u", environment["FROM_UNIT"]);
        Assert.Equal("quoted value", environment["FROM_FILE"]);
        Assert.Equal("file", environment["BOTH"]);
        Assert.Equal("d", environment["FROM_DROP_IN"]);
    }

    [Fact]
    public async Task A_missing_EnvironmentFile_without_a_dash_fails_the_start_naming_it()
    {
        await _services.InstallUnitAsync(Sleeper() with { EnvironmentFiles = [_root.Join("absent.env")] }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _services.EnableAndStartAsync("sleeper", CancellationToken.None));

        Assert.Contains("absent.env", error.Message);
        Assert.Null(_services.ProcessIdOf("sleeper"));
    }

    [Fact]
    public async Task ExecStartPre_runs_before_every_start_with_the_units_environment()
    {
        var marker = _root.Join("pre-ran");
        await _services.InstallUnitAsync(Sleeper() with
        {
            Environment = [new("MARKER", marker)],
            ExecStartPre = [new SystemdCommand(["/bin/sh", "-c", "echo started >> \"$MARKER\""]), new SystemdCommand(["/bin/false"], IgnoreFailure: true)],
        }, CancellationToken.None);

        await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
        var first = await WaitForAsync(() => _services.ProcessIdOf("sleeper"), _ => true);
        Posix.Kill(first, Posix.SigKill);
        await WaitForAsync(() => _services.ProcessIdOf("sleeper"), p => p != first);

        Assert.Equal(["started", "started"], File.ReadAllLines(marker));
        Assert.Contains("ExecStartPre /bin/false: exit 1", File.ReadAllText(_services.LogFile("sleeper")));
    }

    [Fact]
    public async Task A_failing_ExecStartPre_fails_the_start_with_its_output()
    {
        await _services.InstallUnitAsync(Sleeper() with
        {
            ExecStartPre = [new SystemdCommand(["/bin/sh", "-c", "echo no overlay module >&2; exit 3"])],
        }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<CommandFailedException>(() => _services.EnableAndStartAsync("sleeper", CancellationToken.None));

        Assert.Contains("exited 3: no overlay module", error.Message);
        Assert.False(await _services.IsActiveAsync("sleeper", CancellationToken.None));
    }

    /// <summary>A service that starts a child of its own (as containerd starts its shims), then waits.</summary>
    private static SystemdUnit Parent(string? killMode) => Sleeper() with
    {
        ExecStart = ["/bin/sh", "-c", "sleep 601 & echo $! > \"$CHILD_PID\"; wait"],
        KillMode = killMode,
        TimeoutStopSec = TimeSpan.FromSeconds(5),
    };

    [Theory]
    [InlineData(null, false)]
    [InlineData("control-group", false)]
    [InlineData("mixed", false)]
    [InlineData("process", true)]
    public async Task A_stop_follows_KillMode(string? killMode, bool childSurvives)
    {
        var childPidFile = _root.Join("child.pid");
        await _services.InstallUnitAsync(Parent(killMode) with { Environment = [new("CHILD_PID", childPidFile)] }, CancellationToken.None);
        await _services.EnableAndStartAsync("sleeper", CancellationToken.None);
        var main = await WaitForAsync(() => _services.ProcessIdOf("sleeper"), _ => File.Exists(childPidFile) && File.ReadAllText(childPidFile).Trim().Length > 0);
        var child = int.Parse(File.ReadAllText(childPidFile).Trim());
        Assert.True(Posix.IsAlive(child));

        await _services.StopAsync("sleeper", CancellationToken.None);

        Assert.False(Posix.IsAlive(main));
        try
        {
            for (var i = 0; i < 40 && Posix.IsAlive(child) != childSurvives; i++)
            {
                await Task.Delay(50);
            }

            Assert.Equal(childSurvives, Posix.IsAlive(child));
        }
        finally
        {
            Posix.Kill(child, Posix.SigKill);
        }
    }

    [Fact]
    public void What_only_systemd_can_do_is_named()
    {
        var ignored = ProcessServiceManager.IgnoredSettings(Sleeper() with { Delegate = true, LimitNoFile = 1048576, Type = "notify" });

        Assert.Equal(3, ignored.Count);
        Assert.Contains(ignored, s => s.StartsWith("Delegate=yes"));
        Assert.Contains(ignored, s => s.StartsWith("LimitNOFILE=1048576"));
        Assert.Contains(ignored, s => s.StartsWith("Type=notify"));
        Assert.Empty(ProcessServiceManager.IgnoredSettings(Sleeper()));
    }
}
