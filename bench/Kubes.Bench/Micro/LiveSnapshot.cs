using Kubes.Bench.Aws;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Handlers;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Micro;

/// <summary>
/// What the planner works from in a no-op <c>up</c>: the desired graph, the live resources of the same cluster brought
/// up in a moto of its own (their native AWS descriptions included) and the handlers that diff them.
/// </summary>
public sealed record LiveSnapshot(
    IReadOnlyList<DesiredResource> Desired,
    IReadOnlyList<ActualResource> Live,
    IReadOnlyDictionary<string, IResourceHandler> Handlers)
{
    private const string Account = "123456789012";

    /// <summary>
    /// Up to three tries, each in a fresh moto: with more than six nodes per zone, moto's sequential address assignment
    /// can give a node the fixed address of an etcd member or controller first (see docs/benchmarks.md).
    /// </summary>
    public static async Task<LiveSnapshot> CaptureAsync(ClusterSpec spec)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryCaptureAsync(spec);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // try again in a new moto
            }
        }
    }

    private static async Task<LiveSnapshot> TryCaptureAsync(ClusterSpec spec)
    {
        var state = StateStoreLocation.Default(Account, spec.Name);
        var desired = AwsClusterModel.Build(ClusterTopology.From(spec), state);
        await using var moto = await MotoProcess.StartAsync();
        using var clients = new AwsCloudClients(moto.Environment());
        var handlers = AwsHandlers.For(clients, spec.Name, state, BenchClusters.Image, new RenderedBootstrap(spec, state));
        var reconciler = new ClusterReconciler(handlers, AwsTransientErrors.IsTransient);
        var (_, result) = await reconciler.ApplyAsync(desired, new NoProgress(), CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"up of {spec.Name} in moto failed: " +
                string.Join("; ", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}")) +
                $" (moto: {moto.LastException() ?? "no exception printed"})");
        }
        var live = await reconciler.FindAllAsync(CancellationToken.None);
        // Diffs read only the native descriptions, never AWS: the handlers outlive their clients safely.
        return new LiveSnapshot(desired, live, handlers.ToDictionary(h => h.Type));
    }

    private sealed class NoProgress : IApplyProgress
    {
        public void Started(ResourceChange change) { }
        public void Succeeded(ResourceChange change, TimeSpan elapsed) { }
        public void Failed(ResourceChange change, Exception error) { }
        public void Skipped(ResourceChange change, string reason) { }
    }
}
