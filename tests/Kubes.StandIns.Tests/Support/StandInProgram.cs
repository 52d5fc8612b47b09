using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Kubes.Agent.Tests.Support;

namespace Kubes.StandIns.Tests.Support;

/// <summary>
/// A stand-in run as a process, installed (copied) under its component's name as 'kubes artifacts import' delivers it.
/// Its output is kept; disposing stops it.
/// </summary>
public sealed class StandInProgram : IDisposable
{
    private const int TextFileBusy = 26;
    private static readonly string Published = Path.Join(AppContext.BaseDirectory, "standins", "Kubes.StandIns");
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private StandInProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Installs the stand-in as <paramref name="component"/> under <paramref name="root"/> and starts it.</summary>
    public static StandInProgram Start(TempRoot root, string component, IEnumerable<string> args)
    {
        var program = root.Join("bin", component);
        if (!File.Exists(program))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(program)!);
            File.Copy(Published, program);
        }

        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new StandInProgram(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start"));
            }
            catch (Win32Exception e) when (e.NativeErrorCode == TextFileBusy && attempt < 20)
            {
                // A process forked by another test while the copy was open for writing holds it until it execs.
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>Runs it to its end: its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TempRoot root, string component, params IEnumerable<string> args)
    {
        using var program = Start(root, component, args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await program._process.WaitForExitAsync(timeout.Token);
        program._process.WaitForExit();
        return (program._process.ExitCode, program.Output);
    }

    /// <summary>Sends SIGTERM, as systemd and the agent's supervisor stop a service, and waits for its exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
            Assert.Equal(0, kill.ExitCode);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
