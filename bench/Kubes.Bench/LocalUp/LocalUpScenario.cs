using System.Diagnostics;
using Kubes.Bench.Reporting;
using Kubes.Controller.Spec;

namespace Kubes.Bench.LocalUp;

/// <summary>One run: a bare etcd's time to healthy, then kubes up --local's, measured back to back.</summary>
/// <param name="KubesUp">The whole of <c>kubes up</c>: it ends once the agents have settled, the etcd tier healthy.</param>
/// <param name="EverySlotReady">The same, when it ended with every slot Ready (exit 0); null when it did not (offline with
/// nothing imported, the controllers and nodes wait for Kubernetes' programs).</param>
public sealed record LocalUpRun(TimeSpan BareEtcd, TimeSpan KubesUp, TimeSpan? EverySlotReady, bool Healthy,
    IReadOnlyList<(TimeSpan At, string Line)> Timeline)
{
    public double Ratio => KubesUp / BareEtcd;
}

/// <summary>
/// <c>kubes up --local</c> from nothing to "etcd tier healthy" (the real kubes executable, its coordinator daemon, one
/// process tree per slot booted by the user-data script, the agents, Debian's etcd with TLS), against a bare 3-member
/// etcd on loopback started in the same run; then <c>kubes destroy</c>. Each line kubes prints is timed, so the run
/// shows where the time goes. Given a folder of Kubernetes' programs (<c>--import DIR</c>, as <c>kubes artifacts import</c>
/// takes it), they are imported before <c>up</c> (not timed), and the run also measures the time to every slot Ready.
/// </summary>
public static class LocalUpScenario
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(6);

    /// <param name="small">1 controller, 1 node, no bastion (the smoke run of CI); otherwise the embedded default's 10 slots.</param>
    /// <param name="import">A folder for <c>kubes artifacts import</c> before each <c>up</c>; null imports nothing.</param>
    public static async Task<IReadOnlyList<LocalUpRun>> RunAsync(int runs, bool small, TextWriter output, string? import = null)
    {
        var results = new List<LocalUpRun>();
        for (var run = 1; run <= runs; run++)
        {
            var bare = await BareEtcd.TimeToHealthyAsync();
            var result = await KubesUpAsync(small, import, bare);
            results.Add(result);
            await output.WriteLineAsync($"  run {run}: bare etcd healthy in {bare.TotalSeconds:0.00} s, kubes up --local to etcd healthy in " +
                                        $"{result.KubesUp.TotalSeconds:0.00} s ({result.Ratio:0.0}×)" +
                                        (result.EverySlotReady is { } all ? $", every slot Ready in {all.TotalSeconds:0.00} s" : "") +
                                        (result.Healthy ? "" : ", NOT healthy"));
        }
        var table = new MarkdownTable("run", "bare 3-member etcd healthy s", "kubes up --local to etcd healthy s", "ratio",
            "kubes up --local to every slot Ready s", "healthy");
        foreach (var (result, run) in results.Select((r, i) => (r, i + 1)))
            table.Add(run, $"{result.BareEtcd.TotalSeconds:0.00}", $"{result.KubesUp.TotalSeconds:0.00}", $"{result.Ratio:0.0}×",
                result.EverySlotReady is { } all ? $"{all.TotalSeconds:0.00}" : "-", result.Healthy);
        await output.WriteLineAsync();
        await output.WriteLineAsync(table.ToString());
        if (results.LastOrDefault() is { } last)
        {
            await output.WriteLineAsync("Timeline of the last run (seconds since kubes up started, as kubes printed it):");
            await output.WriteLineAsync("```");
            foreach (var (at, line) in last.Timeline) await output.WriteLineAsync($"{at.TotalSeconds,6:0.00}  {line}");
            await output.WriteLineAsync("```");
        }
        return results;
    }

    private static async Task<LocalUpRun> KubesUpAsync(bool small, string? import, TimeSpan bare)
    {
        var folder = Directory.CreateTempSubdirectory("kubes-bench-local-up-").FullName;
        var name = $"bench{Random.Shared.Next(1000, 9999)}";
        var defaults = ClusterSpecDefaults.Local(name);
        var spec = defaults with { StateStore = Path.Join(folder, "state") };
        if (small)
        {
            spec = spec with
            {
                Bastion = defaults.Bastion with { Count = 0 },
                Controllers = defaults.Controllers with { Count = 1 },
                Nodes = defaults.Nodes with { Count = 1, Min = 1 },
            };
        }
        var specFile = Path.Join(folder, "cluster.yaml");
        await File.WriteAllTextAsync(specFile, ClusterSpecWriter.Write(spec));
        try
        {
            if (import is not null && await KubesExecutable.RunAsync(folder, Limit, _ => { }, "artifacts", "import", import, "-f", specFile) != 0)
                throw new InvalidOperationException($"'kubes artifacts import {import}' failed");
            var timeline = new List<(TimeSpan, string)>();
            var clock = Stopwatch.StartNew();
            var exit = await KubesExecutable.RunAsync(folder, Limit, line => { lock (timeline) timeline.Add((clock.Elapsed, line)); },
                "up", "-f", specFile, "--wait-minutes", "5");
            clock.Stop();
            // What is timed is the etcd tier. Up's exit code also speaks for the controllers, which end it with exit 1 on a
            // machine without network and nothing imported (they wait for Kubernetes' programs): 1 is only that case.
            var healthy = (exit == 0 || (exit == 1 && timeline.Any(entry => entry.Item2.StartsWith("error: the controller slots cannot start without",
                              StringComparison.Ordinal))))
                          && timeline.Any(entry => entry.Item2.StartsWith("etcd tier healthy", StringComparison.Ordinal));
            return new LocalUpRun(bare, clock.Elapsed, exit == 0 ? clock.Elapsed : null, healthy, timeline);
        }
        finally
        {
            await KubesExecutable.RunAsync(folder, Limit, _ => { }, "destroy", "-f", specFile, "--yes");
            Directory.Delete(folder, recursive: true);
        }
    }
}
