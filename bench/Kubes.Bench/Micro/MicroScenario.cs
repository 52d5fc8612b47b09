using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Kubes.Bench.Micro;

/// <summary>The in-process micro benchmarks, through BenchmarkDotNet; extra arguments (e.g. --filter) go to it.</summary>
public static class MicroScenario
{
    /// <param name="once">Each benchmark run once, unmeasured (BenchmarkDotNet's dry job): the smoke run of CI.</param>
    /// <returns>Whether every benchmark ran without an error.</returns>
    public static bool Run(string[] arguments, bool once = false)
    {
        // In-process: no per-benchmark project build; the planner's setup starts moto from this process.
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob((once ? Job.Dry : Job.Default).WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "kubes-bench-artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var switcherArguments = arguments.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f")
            ? arguments
            : [.. arguments, "--filter", "*"];
        var summaries = BenchmarkSwitcher.FromTypes([typeof(PlannerBenchmarks), typeof(CsrSignerBenchmarks)]).Run(switcherArguments, config)
            .ToList();
        return summaries.Count > 0 && summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success));
    }
}
