using System.Collections.Concurrent;
using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
using Kubes.Agent.Retries;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Services;

/// <summary>
/// For hosts where systemd is not PID 1: writes the same unit files, then runs the unit (with its drop-ins applied) as a
/// child it supervises (see <see cref="SupervisedService"/>: ExecStartPre, Environment and EnvironmentFile, Restart,
/// KillMode; pid file under the root, output to the root's log folder), and stops every child when the agent stops. A
/// child left behind by a killed agent is found by its pid file and replaced. What only systemd can do (Delegate=,
/// LimitNOFILE=, Type=notify readiness, ordering) is not done, and each start says so in the log.
/// </summary>
public sealed class ProcessServiceManager(AgentPaths paths, CommandRunner commands, ILogger<ProcessServiceManager> log)
    : IServiceManager, IAsyncDisposable
{
    private static readonly TimeSpan LeftoverPoll = TimeSpan.FromMilliseconds(100);

    private readonly ConcurrentDictionary<string, SupervisedService> _services = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly UnitFiles _files = new(paths.UnitDir);

    public string PidFile(string name) => Path.Join(paths.RunDir, name + ".pid");

    public string LogFile(string name) => Path.Join(paths.LogDir, name + ".log");

    public Task InstallUnitAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        _files.Write(unit);
        return Task.CompletedTask;
    }

    public Task<bool> IsUnitInstalledAsync(SystemdUnit unit, CancellationToken cancellationToken) =>
        _files.AreWrittenAsync(unit, cancellationToken);

    public async Task EnableAndStartAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_services.TryGetValue(name, out var running) && running.IsSupervising)
            {
                return;
            }

            var unit = await _files.ReadAsync(name, cancellationToken);
            if (IgnoredSettings(unit) is { Count: > 0 } ignored)
            {
                log.LogInformation("{Unit}: the agent's own supervisor (systemd is not PID 1 here) does not apply {Settings}",
                    unit.FileName, string.Join("; ", ignored));
            }

            await StopLeftoverAsync(unit, cancellationToken);
            Directory.CreateDirectory(paths.RunDir);
            Directory.CreateDirectory(paths.LogDir);
            var service = new SupervisedService(unit, PidFile(name), LogFile(name), commands, log);
            await service.StartAsync(cancellationToken);
            _services[name] = service;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RestartAsync(string name, CancellationToken cancellationToken)
    {
        await StopAsync(name, cancellationToken);
        await EnableAndStartAsync(name, cancellationToken);
    }

    public async Task StopAsync(string name, CancellationToken cancellationToken)
    {
        if (_services.TryRemove(name, out var service))
        {
            await service.StopAsync();
        }
    }

    public Task<bool> IsActiveAsync(string name, CancellationToken cancellationToken) =>
        Task.FromResult(_services.TryGetValue(name, out var service) && service.IsRunning);

    /// <summary>The pid of a running service's process, for diagnostics and tests.</summary>
    public int? ProcessIdOf(string name) => _services.TryGetValue(name, out var service) ? service.ProcessId : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _services.Keys.ToList())
        {
            await StopAsync(name, CancellationToken.None);
        }
    }

    /// <summary>The settings of this unit that only systemd applies, as the unit file spells them.</summary>
    public static IReadOnlyList<string> IgnoredSettings(SystemdUnit unit)
    {
        var ignored = new List<string>();
        if (unit.Delegate)
        {
            ignored.Add("Delegate=yes (no cgroup is delegated: the service runs in the agent's)");
        }

        if (unit.LimitNoFile is { } limit)
        {
            ignored.Add($"LimitNOFILE={limit} (the service inherits the agent's limit)");
        }

        if (unit.Type == "notify")
        {
            ignored.Add("Type=notify (the service counts as started once its process runs)");
        }

        return ignored;
    }

    /// <summary>A previous agent's child still running the same command (the agent was killed): stop it first.</summary>
    private async Task StopLeftoverAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        var pidFile = PidFile(unit.Name);
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) || !Posix.IsAlive(pid))
        {
            return;
        }

        if (Posix.CommandLine(pid) is not { } command || !command.SequenceEqual(unit.ExecStart))
        {
            log.LogInformation("Pid file {PidFile} names process {Pid}, which is not {Unit}: leaving it alone",
                pidFile, pid, unit.Name);
            return;
        }

        log.LogWarning("Stopping {Unit} left running by a previous agent (pid {Pid}) before supervising it again", unit.Name, pid);
        Posix.Kill(pid, Posix.SigTerm);
        var stillAlive = await Poll.UntilAsync(_ => ValueTask.FromResult(Posix.IsAlive(pid)), alive => !alive,
            new PollTiming(LeftoverPoll, unit.TimeoutStopSec), TimeProvider.System, cancellationToken);
        if (stillAlive)
        {
            Posix.Kill(pid, Posix.SigKill);
        }
    }
}
