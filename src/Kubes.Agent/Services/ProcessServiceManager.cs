using System.Collections.Concurrent;
using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Services;

/// <summary>
/// For hosts where systemd is not PID 1: writes the same unit file, then runs its ExecStart as a child it
/// supervises (restarted per Restart=, pid file under the root, output to the root's log folder), and stops
/// every child when the agent stops. A child left behind by a killed agent is found by its pid file and
/// replaced.
/// </summary>
public sealed class ProcessServiceManager(AgentPaths paths, ILogger<ProcessServiceManager> log)
    : IServiceManager, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SupervisedService> _services = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    private string UnitPath(string name) => Path.Join(paths.UnitDir, name + ".service");

    public string PidFile(string name) => Path.Join(paths.RunDir, name + ".pid");

    public string LogFile(string name) => Path.Join(paths.LogDir, name + ".log");

    public Task InstallUnitAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        AtomicFile.WriteAllText(UnitPath(unit.Name), unit.Render(), AtomicFile.Readable);
        return Task.CompletedTask;
    }

    public async Task<bool> IsUnitInstalledAsync(SystemdUnit unit, CancellationToken cancellationToken)
    {
        var path = UnitPath(unit.Name);
        return File.Exists(path) && await File.ReadAllTextAsync(path, cancellationToken) == unit.Render();
    }

    public async Task EnableAndStartAsync(string name, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_services.TryGetValue(name, out var running) && running.IsSupervising)
            {
                return;
            }

            var path = UnitPath(name);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"the unit {path} is not installed");
            }

            var unit = SystemdUnit.Parse(name, await File.ReadAllTextAsync(path, cancellationToken));
            await StopLeftoverAsync(unit, cancellationToken);
            Directory.CreateDirectory(paths.RunDir);
            Directory.CreateDirectory(paths.LogDir);
            var service = new SupervisedService(unit, PidFile(name), LogFile(name), log);
            service.Start();
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
        var deadline = DateTime.UtcNow + unit.TimeoutStopSec;
        while (Posix.IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }

        if (Posix.IsAlive(pid))
        {
            Posix.Kill(pid, Posix.SigKill);
        }
    }
}
