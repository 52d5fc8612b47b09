using System.Diagnostics;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>The real kubes executable (the apphost the build puts beside kubes.dll), run as an operator would.</summary>
internal static class KubesProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    /// <summary>src/Kubes.Controller/bin/&lt;configuration&gt;/net10.0/kubes, found from this test assembly's folder.</summary>
    public static string Executable
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory);
            var framework = testBin.Name;
            var configuration = testBin.Parent!.Name;
            var repository = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var path = Path.Join(repository, "src", "Kubes.Controller", "bin", configuration, framework, "kubes");
            return File.Exists(path) ? path : throw new FileNotFoundException($"kubes is not built at {path}", path);
        }
    }

    /// <summary>The framework-dependent agent 'dotnet build' puts beside kubes: the local provider's instances run it.</summary>
    public static string AgentBesideKubes => Path.Join(Path.GetDirectoryName(Executable), "agent", "kubes-agent");

    public static Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        RunAsync(workingDirectory, timeout, new Dictionary<string, string>(), arguments);

    public static async Task<Result> RunAsync(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string> environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubes {string.Join(' ', arguments)} ran longer than {timeout}: {await stdout}\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
