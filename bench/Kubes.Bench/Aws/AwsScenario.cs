using System.Diagnostics;
using Kubes.Bench.Reporting;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;

namespace Kubes.Bench.Aws;

/// <summary>
/// AWS API calls and wall time of <c>kubes up</c> from empty, a no-op <c>kubes up</c> and <c>kubes destroy</c>, against
/// moto. Each phase opens its own session, as a new run of the command does; moto is reset before each cluster.
/// </summary>
public static class AwsScenario
{
    private static readonly (string Name, Func<ClusterSpec, IAwsCallObserver, Task<ApplyResult>> Run)[] Phases =
    [
        ("up (empty)", KubesCommands.UpAsync),
        ("up (no-op)", KubesCommands.UpAsync),
        ("destroy", KubesCommands.DestroyAsync),
    ];

    /// <param name="withLargeCluster">Also the 50-node cluster (the smoke run of CI leaves it out).</param>
    /// <returns>The failed runs, as lines; none when every phase of every run succeeded.</returns>
    public static async Task<IReadOnlyList<string>> RunAsync(int runs, TextWriter output, bool withLargeCluster = true)
    {
        var cases = new List<(string Name, ClusterSpec Spec)> { ("default (3 etcd, 3 controllers, 3 nodes, bastion)", BenchClusters.Default()) };
        if (withLargeCluster) cases.Add(("50 nodes", BenchClusters.WithNodes(50)));
        await using var moto = await MotoProcess.StartAsync();
        moto.UseForThisProcess();
        await output.WriteLineAsync($"moto_server at {moto.Endpoint}; {runs} run(s) per cluster after one unrecorded warm-up " +
            "up of the default cluster.");
        await moto.ResetAsync();
        var warmUp = await PhaseAsync(moto, "warm-up", Phases[0], cases[0].Spec);
        if (warmUp.Failure is not null) throw new InvalidOperationException($"the warm-up up failed: {warmUp.Failure}");

        var results = new List<PhaseResult>();
        var failures = new List<string>();
        foreach (var (name, spec) in cases)
        {
            for (var run = 1; run <= runs; run++)
            {
                await moto.ResetAsync();
                var phases = new List<PhaseResult>();
                foreach (var phase in Phases)
                {
                    var result = await PhaseAsync(moto, name, phase, spec);
                    phases.Add(result);
                    if (result.Failure is not null) break;
                }
                var failed = phases.FirstOrDefault(p => p.Failure is not null);
                if (failed is null) results.AddRange(phases);
                else failures.Add($"{name}, run {run}, {failed.Phase}: {failed.Failure}");
                await output.WriteLineAsync($"  {name}, run {run}: " + (failed is null
                    ? string.Join(", ", phases.Select(r => $"{r.Phase} {r.Wall.TotalSeconds:0.00} s"))
                    : $"{failed.Phase} FAILED: {failed.Failure}"));
            }
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync(Summary(results, cases.Select(c => c.Name), runs));
        await output.WriteLineAsync(ByAction(results));
        foreach (var failure in failures) await output.WriteLineAsync($"failed run: {failure}\n");
        return failures;
    }

    private static async Task<PhaseResult> PhaseAsync(MotoProcess moto, string cluster,
        (string Name, Func<ClusterSpec, IAwsCallObserver, Task<ApplyResult>> Run) phase, ClusterSpec spec)
    {
        var calls = new AwsCallCounter();
        var clock = Stopwatch.StartNew();
        var result = await phase.Run(spec, calls);
        clock.Stop();
        var failure = result.Succeeded
            ? null
            : string.Join("; ", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {Flat(f.Reason)}")) +
              $" (moto: {moto.LastException() ?? "no exception printed"})";
        return new PhaseResult(cluster, phase.Name, clock.Elapsed, result.Applied, calls.Total, calls.Mutations, calls.ByAction(), failure);
    }

    private static string Summary(List<PhaseResult> results, IEnumerable<string> clusters, int runs)
    {
        var table = new MarkdownTable("cluster", "phase", "runs ok", "resources changed", "AWS calls", "mutating",
            "wall s (median)", "min–max s");
        foreach (var cluster in clusters)
        {
            foreach (var (phase, _) in Phases.DistinctBy(p => p.Name))
            {
                var group = results.Where(r => r.Cluster == cluster && r.Phase == phase).ToList();
                if (group.Count == 0)
                {
                    table.Add(cluster, phase, $"0/{runs}", "–", "–", "–", "–", "–");
                    continue;
                }
                var walls = group.Select(r => r.Wall.TotalSeconds).Order().ToList();
                var median = walls.Count % 2 == 1 ? walls[walls.Count / 2] : (walls[walls.Count / 2 - 1] + walls[walls.Count / 2]) / 2;
                table.Add(cluster, phase, $"{group.Count}/{runs}", Range(group.Select(r => r.Changed)), Range(group.Select(r => r.Total)),
                    Range(group.Select(r => r.Mutating)), $"{median:0.00}", $"{walls[0]:0.00}–{walls[^1]:0.00}");
            }
        }
        return table.ToString();
    }

    /// <summary>Calls per action of the first complete run of each cluster.</summary>
    private static string ByAction(List<PhaseResult> results)
    {
        var firsts = results.GroupBy(r => (r.Cluster, r.Phase)).Select(g => g.First()).ToList();
        var table = new MarkdownTable(["action", .. firsts.Select(r => $"{Short(r.Cluster)}: {r.Phase}")]);
        foreach (var action in firsts.SelectMany(r => r.ByAction.Keys).Distinct().Order(StringComparer.Ordinal))
            table.Add([action, .. firsts.Select(r => (object)r.ByAction.GetValueOrDefault(action))]);
        return table.ToString();
    }

    private static string Short(string cluster) => cluster.StartsWith("default", StringComparison.Ordinal) ? "default" : cluster;

    /// <summary>One number when every run agreed, else min–max: a difference between runs is itself a finding.</summary>
    private static string Range(IEnumerable<int> values)
    {
        var all = values.ToList();
        return all.Min() == all.Max() ? $"{all[0]}" : $"{all.Min()}–{all.Max()}";
    }

    /// <summary>moto answers a crash with an HTML page; one line of it is enough in a summary.</summary>
    private static string Flat(string reason) => string.Join(' ', reason.Split('\n', StringSplitOptions.TrimEntries)
        .Where(line => line.Length > 0 && !line.StartsWith('<')));

    private sealed record PhaseResult(string Cluster, string Phase, TimeSpan Wall, int Changed, int Total, int Mutating,
        IReadOnlyDictionary<string, int> ByAction, string? Failure);
}
