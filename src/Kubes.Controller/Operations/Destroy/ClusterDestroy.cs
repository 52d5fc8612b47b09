using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Operations.Destroy;

/// <summary>
/// <c>kubes destroy</c>: everything the cluster owns, found by its tag alone — it works with the state store already
/// gone — deleted in the order the provider needs; then what the provider keeps beside those resources.
/// </summary>
public static class ClusterDestroy
{
    public static async Task<(Plan Plan, ApplyResult Result)> RunAsync(IClusterSession session, IApplyProgress progress,
        CancellationToken cancellationToken)
    {
        var (plan, result) = await session.Reconciler(launches: null).DestroyAsync(progress, cancellationToken);
        if (result.Succeeded) await session.RemoveLeftoversAsync(cancellationToken);
        return (plan, result);
    }
}
