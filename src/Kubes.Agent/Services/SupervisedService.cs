using System.Diagnostics;
using Kubes.Agent.Processes;
using Kubes.Agent.Retries;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Services;

/// <summary>
/// One unit's ExecStart run as a child process and restarted per its Restart= and RestartSec=. Before every start its
/// ExecStartPre= commands run (a leading '-' lets one fail) and its environment is read again (Environment=, then
/// EnvironmentFile=, added to the agent's own). A stop follows KillMode=: <c>control-group</c> (the default) signals
/// the service and every process below it, <c>mixed</c> signals the service and kills what is left below it once the
/// service is gone, <c>process</c> signals the service alone, <c>none</c> signals nothing. Without cgroups "below it"
/// means its descendants at the moment of the stop.
/// </summary>
internal sealed class SupervisedService(SystemdUnit unit, string pidFile, string logFile, CommandRunner commands, ILogger log)
{
    /// <summary>exec replaces the shell, so the pid and command line are the service's own.</summary>
    private const string Launcher = "exec \"$@\" </dev/null >>\"$KUBES_SERVICE_LOG\" 2>&1";

    private static readonly TimeSpan StopPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Process? _current;
    private Task? _supervision;

    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _current is { HasExited: false };
            }
        }
    }

    public bool IsSupervising => _supervision is { IsCompleted: false } && !_stopping.IsCancellationRequested;

    public int? ProcessId
    {
        get
        {
            lock (_lock)
            {
                return _current is { HasExited: false } p ? p.Id : null;
            }
        }
    }

    /// <summary>Runs ExecStartPre and starts the service; a failing ExecStartPre fails the start, with its output.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await RunPreStartAsync(cancellationToken);
        Launch();
        _supervision = Task.Run(SuperviseAsync, CancellationToken.None);
    }

    public async Task StopAsync()
    {
        Process? process;
        lock (_lock)
        {
            _stopping.Cancel();
            process = _current;
        }

        if (process is { HasExited: false })
        {
            await StopProcessesAsync(process);
        }

        if (_supervision is not null)
        {
            await _supervision;
        }

        File.Delete(pidFile);
        log.LogInformation("Stopped {Unit}", unit.Name);
    }

    private async Task StopProcessesAsync(Process process)
    {
        var mode = unit.KillMode ?? "control-group";
        if (mode == "none")
        {
            log.LogWarning("{Unit} has KillMode=none: pid {Pid} is left running and no longer supervised", unit.Name, process.Id);
            return;
        }

        var stopping = Stopwatch.StartNew();
        var below = mode is "control-group" or "mixed" ? Posix.Descendants(process.Id) : [];
        Posix.Kill(process.Id, Posix.SigTerm);
        if (mode == "control-group")
        {
            foreach (var child in below)
            {
                Posix.Kill(child.Pid, Posix.SigTerm);
            }
        }

        using var timeout = new CancellationTokenSource(unit.TimeoutStopSec);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            log.LogWarning("{Unit} did not stop within {Timeout}: killing it", unit.Name, unit.TimeoutStopSec);
            Posix.Kill(process.Id, Posix.SigKill);
            using var killed = new CancellationTokenSource(KillWait);
            try
            {
                await process.WaitForExitAsync(killed.Token);
            }
            catch (OperationCanceledException)
            {
                log.LogError("{Unit} (pid {Pid}) survived SIGKILL for {Wait} (stuck in the kernel?): no longer supervised",
                    unit.Name, process.Id, KillWait);
            }
        }

        if (mode == "control-group")
        {
            // The rest of the group had the same SIGTERM and what is left of the timeout to go.
            var left = unit.TimeoutStopSec - stopping.Elapsed;
            await Poll.UntilAsync(_ => ValueTask.FromResult(below.Any(Posix.IsAlive)), alive => !alive,
                new PollTiming(StopPoll, left > TimeSpan.Zero ? left : TimeSpan.Zero), TimeProvider.System, CancellationToken.None);
        }

        foreach (var child in below.Where(Posix.IsAlive))
        {
            log.LogWarning("{Unit}: killing pid {Pid}, left below it by the stop (KillMode={KillMode})", unit.Name, child.Pid, mode);
            Posix.Kill(child.Pid, Posix.SigKill);
        }
    }

    private async Task RunPreStartAsync(CancellationToken cancellationToken)
    {
        if (unit.ExecStartPre.Count == 0)
        {
            return;
        }

        var environment = ServiceEnvironment.Of(unit);
        foreach (var command in unit.ExecStartPre)
        {
            var result = await commands.RunAsync(command.Words[0], command.Words.Skip(1).ToList(), environment, cancellationToken);
            await File.AppendAllTextAsync(logFile,
                $"ExecStartPre {result.CommandLine}: exit {result.ExitCode}\n{result.StandardOutput}{result.StandardError}", cancellationToken);
            if (result.ExitCode != 0 && !command.IgnoreFailure)
            {
                throw new CommandFailedException(
                    $"{unit.Name}: ExecStartPre '{result.CommandLine}' exited {result.ExitCode}: " +
                    $"{(result.StandardError + result.StandardOutput).Trim()}; the service was not started");
            }
        }
    }

    private void Launch()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)["-c", Launcher, unit.Name, .. unit.ExecStart])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in ServiceEnvironment.Of(unit))
        {
            start.Environment[key] = value;
        }

        start.Environment["KUBES_SERVICE_LOG"] = logFile;
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _current?.Dispose();
            _current = Process.Start(start)!;
            File.WriteAllText(pidFile, _current.Id + "\n");
            log.LogInformation("Started {Unit} as pid {Pid} (output in {Log})", unit.Name, _current.Id, logFile);
        }
    }

    /// <summary>
    /// Restarts the service per Restart= whenever it exits; a start whose ExecStartPre fails counts as a failed run, so
    /// it is tried again after RestartSec too (Restart=always or on-failure), as systemd does.
    /// </summary>
    private async Task SuperviseAsync()
    {
        Process? process;
        lock (_lock)
        {
            process = _current;
        }

        while (process is not null)
        {
            await process.WaitForExitAsync();
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var (pid, exitCode) = (process.Id, process.ExitCode);
            while (true)
            {
                var restart = unit.Restart switch
                {
                    "always" => true,
                    "on-failure" or "on-abnormal" => exitCode != 0,
                    _ => false,
                };
                log.LogWarning("{Unit} (pid {Pid}) exited with {ExitCode}; {Action}", unit.Name, pid, exitCode,
                    restart ? $"restarting in {unit.RestartSec}" : "not restarting (Restart=" + unit.Restart + ")");
                if (!restart)
                {
                    return;
                }

                try
                {
                    await Task.Delay(unit.RestartSec, _stopping.Token);
                    await RunPreStartAsync(_stopping.Token);
                    Launch();
                    break;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is CommandFailedException or InvalidOperationException)
                {
                    log.LogWarning("{Unit} could not be started: {Reason}", unit.Name, e.Message);
                    (pid, exitCode) = (0, 1);
                }
            }

            lock (_lock)
            {
                process = _current;
            }
        }
    }
}
