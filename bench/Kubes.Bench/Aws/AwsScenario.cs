using System.Diagnostics;
using Kubes.Bench.Reporting;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Aws;

/// <summary>
/// AWS API calls and wall time of <c>up</c> from empty, a no-op <c>up</c> and <c>destroy</c>, against moto. Each phase
/// is a new reconciler on new clients, as a new run of the command would be; moto is reset before each cluster.
/// </summary>
public static class AwsScenario
{
    private const string Account = "123456789012";
    private static readonly string[] Phases = ["up (empty)", "up (no-op)", "destroy"];

    public static async Task RunAsync(int runs, TextWriter output)
    {
        var cases = new (string Name, ClusterSpec Spec)[]
        {
            ("default (3 etcd, 3 controllers, 3 nodes, bastion)", BenchClusters.Default()),
            ("50 nodes", BenchClusters.WithNodes(50)),
        };
        await using var moto = await MotoProcess.StartAsync();
        await output.WriteLineAsync($"moto_server at {moto.Endpoint}; {runs} run(s) per cluster after one unrecorded warm-up " +
            "of the default cluster; AwsWaiter.Default (2 s polls).");
        await moto.ResetAsync();
        var warmUp = new BenchCluster(cases[0].Spec, moto);
        var warmed = await warmUp.PhaseAsync("warm-up", Phases[0], (r, p, ct) => r.ApplyAsync(warmUp.Desired, p, ct));
        if (warmed.Failure is not null) throw new InvalidOperationException($"the warm-up up failed: {warmed.Failure}");

        var results = new List<PhaseResult>();
        var failures = new List<string>();
        foreach (var (name, spec) in cases)
        {
            for (var run = 1; run <= runs; run++)
            {
                await moto.ResetAsync();
                var cluster = new BenchCluster(spec, moto);
                var phases = new List<PhaseResult>();
                foreach (var phase in Phases)
                {
                    var result = await cluster.PhaseAsync(name, phase, phase == "destroy"
                        ? (r, p, ct) => r.DestroyAsync(p, ct)
                        : (r, p, ct) => r.ApplyAsync(cluster.Desired, p, ct));
                    phases.Add(result);
                    if (result.Failure is not null) break;
                }
                var failed = phases.FirstOrDefault(p => p.Failure is not null);
                if (failed is null) results.AddRange(phases);
                else failures.Add($"{name}, run {run}, {failed.Phase}: {failed.Failure}");
                await output.WriteLineAsync($"  {name}, run {run}: " + (failed is null
                    ? string.Join(", ", phases.Select(r => $"{r.Phase} {r.Wall.TotalSeconds:0.00} s"))
                    : $"{failed.Phase} FAILED: {failed.Failure!.Split('\n')[0]}"));
            }
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync(Summary(results, cases.Select(c => c.Name), runs));
        await output.WriteLineAsync(ByAction(results));
        foreach (var failure in failures) await output.WriteLineAsync($"failed run: {failure}\n");
    }

    private static string Summary(List<PhaseResult> results, IEnumerable<string> clusters, int runs)
    {
        var table = new MarkdownTable("cluster", "phase", "runs ok", "resources changed", "AWS calls", "mutating",
            "wall s (median)", "min–max s");
        foreach (var cluster in clusters)
        {
            foreach (var phase in Phases)
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

    private static string Short(string cluster) => cluster.Split(' ')[0] is "default" ? "default" : cluster;

    /// <summary>One number when every run agreed, else min–max: a difference between runs is itself a finding.</summary>
    private static string Range(IEnumerable<int> values)
    {
        var all = values.ToList();
        return all.Min() == all.Max() ? $"{all[0]}" : $"{all.Min()}–{all.Max()}";
    }

    private sealed record PhaseResult(string Cluster, string Phase, TimeSpan Wall, int Changed, int Total, int Mutating,
        IReadOnlyDictionary<string, int> ByAction, string? Failure);

    private delegate Task<(Plan Plan, ApplyResult Result)> PhaseAction(ClusterReconciler reconciler, IApplyProgress progress,
        CancellationToken cancellationToken);

    private sealed class BenchCluster(ClusterSpec spec, MotoProcess moto)
    {
        private static readonly Func<ClusterSpec, StateStoreLocation> StateOf = s => StateStoreLocation.Default(Account, s.Name);
        private readonly StateStoreLocation _state = StateOf(spec);

        public IReadOnlyList<DesiredResource> Desired { get; } = AwsClusterModel.Build(ClusterTopology.From(spec), StateOf(spec));

        public async Task<PhaseResult> PhaseAsync(string cluster, string phase, PhaseAction action)
        {
            var calls = new AwsCallCounter();
            using var clients = new AwsCloudClients(moto.Environment(), calls);
            var reconciler = new ClusterReconciler(
                AwsHandlers.For(clients, spec.Name, _state, BenchClusters.Image, new RenderedBootstrap(spec, _state)),
                AwsTransientErrors.IsTransient);
            var clock = Stopwatch.StartNew();
            var (plan, result) = await action(reconciler, new SilentProgress(), CancellationToken.None);
            clock.Stop();
            var failure = result.Succeeded
                ? null
                : string.Join("; ", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {Flat(f.Reason)}")) +
                  $" (moto: {moto.LastException() ?? "no exception printed"})";
            return new PhaseResult(cluster, phase, clock.Elapsed, plan.Changes.Count, calls.Total, calls.Mutations, calls.ByAction(),
                failure);
        }

        /// <summary>moto answers a crash with an HTML page; one line of it is enough in a summary.</summary>
        private static string Flat(string reason) => string.Join(' ', reason.Split('\n', StringSplitOptions.TrimEntries)
            .Where(line => line.Length > 0 && !line.StartsWith('<')));
    }

    private sealed class SilentProgress : IApplyProgress
    {
        public void Started(ResourceChange change) { }
        public void Succeeded(ResourceChange change, TimeSpan elapsed) { }
        public void Failed(ResourceChange change, Exception error) { }
        public void Skipped(ResourceChange change, string reason) { }
    }
}
