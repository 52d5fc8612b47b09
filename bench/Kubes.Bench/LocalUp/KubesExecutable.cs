using System.Diagnostics;

namespace Kubes.Bench.LocalUp;

/// <summary>
/// The kubes executable the build puts in src/Kubes.Controller/bin (with the framework-dependent agent beside it, which
/// the local provider's instances run), run as an operator runs it.
/// </summary>
public static class KubesExecutable
{
    public static string Path
    {
        get
        {
            // bench/Kubes.Bench/bin/<configuration>/<framework>/ → the repository root, five folders up.
            var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            var repository = bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = System.IO.Path.Join(repository, "src", "Kubes.Controller", "bin", bin.Parent!.Name, bin.Name, "kubes");
            return File.Exists(path) ? path : throw new FileNotFoundException($"kubes is not built at {path}; build the solution first", path);
        }
    }

    /// <summary>Runs kubes, handing every line it prints (stdout and stderr) to <paramref name="line"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(string workingDirectory, TimeSpan limit, Action<string> line, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path} did not start");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) => { if (e.Data is { } text) line(text); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } text) line(text); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubes {string.Join(' ', arguments)} ran longer than {limit}");
        }
        return process.ExitCode;
    }
}
