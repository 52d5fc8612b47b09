using System.Diagnostics;
using System.Text.Json;

namespace Kubes.Bench.Serve;

/// <summary>This bench program again, as <c>serve-crowd PLAN RESULT</c>: the agents, in a process of their own.</summary>
public sealed class CrowdProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _folder;

    private CrowdProcess(Process process, string folder)
    {
        _process = process;
        _folder = folder;
    }

    private string ResultPath => Path.Join(_folder, "result.json");

    /// <summary>Starts the crowd and returns once its warm-up agents are done.</summary>
    public static async Task<CrowdProcess> StartAsync(CrowdPlan plan)
    {
        var folder = Directory.CreateTempSubdirectory("kubes-bench-crowd-").FullName;
        var planPath = Path.Join(folder, "plan.json");
        await File.WriteAllTextAsync(planPath, JsonSerializer.Serialize(plan, CrowdPlan.Json));
        // The bench's own executable beside its assembly, or 'dotnet Kubes.Bench.dll' (as from a test host).
        var assembly = typeof(Crowd).Assembly.Location;
        var executable = Path.ChangeExtension(assembly, null);
        var start = new ProcessStartInfo(File.Exists(executable) ? executable : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (!File.Exists(executable)) start.ArgumentList.Add(assembly);
        // A profiler attached to the bench (dotnet-trace) is for the coordinator: the crowd must not wait for one too.
        start.Environment.Remove("DOTNET_DiagnosticPorts");
        foreach (var argument in (string[])["serve-crowd", planPath, Path.Join(folder, "result.json")]) start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException("the crowd process did not start");
        var crowd = new CrowdProcess(process, folder);
        var line = await process.StandardOutput.ReadLineAsync();
        if (line != "warm")
        {
            crowd.Dispose();
            throw new InvalidOperationException($"the crowd's warm-up failed (it said '{line}')");
        }
        return crowd;
    }

    /// <summary>Lets the measured agents go and returns what they measured.</summary>
    public async Task<CrowdResult> RunAsync()
    {
        await _process.StandardInput.WriteLineAsync("go");
        await _process.StandardInput.FlushAsync();
        await _process.WaitForExitAsync();
        if (_process.ExitCode != 0) throw new InvalidOperationException($"the crowd process exited with {_process.ExitCode}");
        return JsonSerializer.Deserialize<CrowdResult>(await File.ReadAllTextAsync(ResultPath), CrowdPlan.Json)
               ?? throw new InvalidDataException($"{ResultPath} holds no result");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
