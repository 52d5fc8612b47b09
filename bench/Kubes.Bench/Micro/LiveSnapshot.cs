using Kubes.Bench.Aws;
using Kubes.Controller.Aws.Query;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;

namespace Kubes.Bench.Micro;

/// <summary>
/// What the planner works from in a no-op <c>up</c>: the desired graph, the live resources of the same cluster brought
/// up by <c>kubes up</c> in a moto of its own (their native AWS descriptions included) and the handlers that diff
/// them, made as <c>kubes plan</c> makes them.
/// </summary>
public sealed record LiveSnapshot(
    IReadOnlyList<DesiredResource> Desired,
    IReadOnlyList<ActualResource> Live,
    IReadOnlyDictionary<string, IResourceHandler> Handlers)
{
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
        await using var moto = await MotoProcess.StartAsync();
        moto.UseForThisProcess();
        var result = await KubesCommands.UpAsync(spec, AwsCallObserver.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"up of {spec.Name} in moto failed: " +
                string.Join("; ", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}")) +
                $" (moto: {moto.LastException() ?? "no exception printed"})");
        }
        using var session = await ClusterProviders.OpenAsync(spec, null, CancellationToken.None);
        var handlers = session.Handlers(launches: null);
        var live = await session.Reconciler(launches: null).FindAllAsync(CancellationToken.None);
        // Diffs read only the native descriptions, never AWS: the handlers outlive their session safely.
        return new LiveSnapshot(session.DesiredResources(), live, handlers.ToDictionary(h => h.Type));
    }
}
