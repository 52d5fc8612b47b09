using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Kubes.Bench.Micro;

/// <summary>The in-process micro benchmarks, through BenchmarkDotNet; extra arguments (e.g. --filter) go to it.</summary>
public static class MicroScenario
{
    public static void Run(string[] arguments)
    {
        // In-process: no per-benchmark project build; the planner's setup starts moto from this process.
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance))
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "kubes-bench-artifacts"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var switcherArguments = arguments.Any(a => a.StartsWith("--filter", StringComparison.Ordinal) || a == "-f")
            ? arguments
            : [.. arguments, "--filter", "*"];
        BenchmarkSwitcher.FromTypes([typeof(PlannerBenchmarks), typeof(CsrSignerBenchmarks)]).Run(switcherArguments, config);
    }
}
