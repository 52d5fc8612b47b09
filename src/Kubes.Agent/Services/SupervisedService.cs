using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Services;

/// <summary>One unit's ExecStart run as a child process and restarted per its Restart= and RestartSec=.</summary>
internal sealed class SupervisedService(SystemdUnit unit, string pidFile, string logFile, ILogger log)
{
    /// <summary>exec replaces the shell, so the pid and command line are the service's own.</summary>
    private const string Launcher = "exec \"$@\" </dev/null >>\"$KUBES_SERVICE_LOG\" 2>&1";

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

    public void Start()
    {
        Launch();
        _supervision = Task.Run(SuperviseAsync);
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
            Posix.Kill(process.Id, Posix.SigTerm);
            using var timeout = new CancellationTokenSource(unit.TimeoutStopSec);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                log.LogWarning("{Unit} did not stop within {Timeout}: killing it", unit.Name, unit.TimeoutStopSec);
                process.Kill(entireProcessTree: true);
            }
        }

        if (_supervision is not null)
        {
            await _supervision;
        }

        File.Delete(pidFile);
        log.LogInformation("Stopped {Unit}", unit.Name);
    }

    private void Launch()
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)["-c", Launcher, unit.Name, .. unit.ExecStart])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBES_SERVICE_LOG"] = logFile;
        foreach (var (key, value) in unit.Environment)
        {
            start.Environment[key] = value;
        }

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

    private async Task SuperviseAsync()
    {
        while (true)
        {
            Process? process;
            lock (_lock)
            {
                process = _current;
            }

            if (process is null)
            {
                return;
            }

            await process.WaitForExitAsync();
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            var exitCode = process.ExitCode;
            var restart = unit.Restart switch
            {
                "always" => true,
                "on-failure" or "on-abnormal" => exitCode != 0,
                _ => false,
            };
            log.LogWarning("{Unit} (pid {Pid}) exited with {ExitCode}; {Action}", unit.Name, process.Id, exitCode,
                restart ? $"restarting in {unit.RestartSec}" : "not restarting (Restart=" + unit.Restart + ")");
            if (!restart)
            {
                return;
            }

            try
            {
                await Task.Delay(unit.RestartSec, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Launch();
        }
    }
}
