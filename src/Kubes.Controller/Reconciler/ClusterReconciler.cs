namespace Kubes.Controller.Reconciler;

/// <summary>
/// find → diff → apply over a set of handlers. <see cref="PlanAsync"/> is what <c>kubes plan</c> prints and what
/// <see cref="ApplyAsync"/> executes: one code path, two targets.
/// </summary>
public sealed class ClusterReconciler(IReadOnlyList<IResourceHandler> handlers, Func<Exception, FailureKind> classify,
    RetryBudget? budget = null)
{
    private readonly Dictionary<string, IResourceHandler> _byType = handlers.ToDictionary(h => h.Type);

    /// <summary>Every live resource of the cluster: one batched find per resource type, all types at once.</summary>
    public async Task<IReadOnlyList<ActualResource>> FindAllAsync(CancellationToken cancellationToken)
    {
        var found = await Task.WhenAll(handlers.Select(h => h.FindAsync(cancellationToken)));
        return [.. found.SelectMany(f => f)];
    }

    public async Task<(Plan Plan, ResolvedIds Ids)> PlanAsync(IReadOnlyList<DesiredResource> desired, CancellationToken cancellationToken)
    {
        var actual = await FindAllAsync(cancellationToken);
        return (Planner.Compute(desired, actual, _byType), new ResolvedIds(actual));
    }

    public async Task<(Plan Plan, ApplyResult Result)> ApplyAsync(IReadOnlyList<DesiredResource> desired, IApplyProgress progress,
        CancellationToken cancellationToken)
    {
        var (plan, ids) = await PlanAsync(desired, cancellationToken);
        var result = await new PlanExecutor(_byType, progress, classify, budget).ApplyAsync(plan, ids, cancellationToken);
        return (plan, result);
    }

    /// <summary>Deletes everything the cluster owns, found by tag alone: the desired graph is empty.</summary>
    public Task<(Plan Plan, ApplyResult Result)> DestroyAsync(IApplyProgress progress, CancellationToken cancellationToken) =>
        ApplyAsync([], progress, cancellationToken);
}
