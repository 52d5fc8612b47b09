using BenchmarkDotNet.Attributes;
using Kubes.Bench.Aws;
using Kubes.Controller.Reconciler;

namespace Kubes.Bench.Micro;

/// <summary>
/// <see cref="Planner.Compute"/> over the AWS graph of the default cluster (3 nodes) and of one with 50 nodes: with
/// nothing live (the first <c>up</c>, <c>plan --offline</c>) and against the live resources of the same cluster already
/// up (a no-op <c>up</c>: every resource diffed by its handler).
/// </summary>
[MemoryDiagnoser]
public class PlannerBenchmarks
{
    private LiveSnapshot _snapshot = null!;

    [Params(3, 50)]
    public int Nodes { get; set; }

    [GlobalSetup]
    public void CaptureLiveCluster() =>
        _snapshot = LiveSnapshot.CaptureAsync(Nodes == 3 ? BenchClusters.Default() : BenchClusters.WithNodes(Nodes))
            .GetAwaiter().GetResult();

    [Benchmark]
    public Plan NothingLive() => Planner.Compute(_snapshot.Desired, [], _snapshot.Handlers);

    [Benchmark]
    public Plan UpToDate() => Planner.Compute(_snapshot.Desired, _snapshot.Live, _snapshot.Handlers);
}
