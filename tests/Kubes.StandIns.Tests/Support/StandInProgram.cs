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
        return new StandInProgram(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start"));
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
