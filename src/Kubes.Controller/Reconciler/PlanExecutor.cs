namespace Kubes.Controller.Reconciler;

/// <summary>
/// Applies a plan: creates and updates in dependency order, independent ones concurrently; then deletes in the
/// handlers' delete order. A failed change blocks only what depends on it. Transient failures (eventual
/// consistency, throttling that outlived the SDK's own retries) and failures on something still being released are
/// retried within the <see cref="RetryBudget"/>, each retry shown as progress.
/// </summary>
public sealed class PlanExecutor(
    IReadOnlyDictionary<string, IResourceHandler> handlers,
    IApplyProgress progress,
    Func<Exception, FailureKind> classify,
    RetryBudget? budget = null,
    TimeProvider? time = null,
    int parallelism = 8)
{
    private readonly RetryBudget _budget = budget ?? RetryBudget.Default;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ApplyResult> ApplyAsync(Plan plan, ResolvedIds ids, CancellationToken cancellationToken)
    {
        var failed = new List<FailedChange>();
        var skipped = new List<FailedChange>();
        var applied = await ApplyCreatesAndUpdatesAsync(plan, ids, failed, skipped, cancellationToken);
        applied += await ApplyDeletesAsync(plan, failed, skipped, cancellationToken);
        return new ApplyResult(applied, failed, skipped);
    }

    private async Task<int> ApplyCreatesAndUpdatesAsync(Plan plan, ResolvedIds ids, List<FailedChange> failed,
        List<FailedChange> skipped, CancellationToken cancellationToken)
    {
        var pending = plan.Changes.Where(c => c.Action != ChangeAction.Delete).ToDictionary(c => c.Key);
        var done = new HashSet<ResourceKey>();
        var broken = new Dictionary<ResourceKey, string>();
        // By key, not by task: changes that finish synchronously can share one cached completed task.
        var running = new Dictionary<ResourceKey, (ResourceChange Change, Task<Exception?> Task)>();
        using var gate = new SemaphoreSlim(parallelism);
        var applied = 0;

        while (pending.Count > 0 || running.Count > 0)
        {
            foreach (var change in pending.Values.ToList())
            {
                var blocker = change.DependsOn.FirstOrDefault(broken.ContainsKey);
                if (blocker != default)
                {
                    pending.Remove(change.Key);
                    var reason = $"blocked by {blocker}";
                    broken[change.Key] = reason;
                    skipped.Add(new FailedChange(change, reason));
                    progress.Skipped(change, reason);
                    continue;
                }
                if (change.DependsOn.All(d => done.Contains(d) || !IsPending(d, pending, running)))
                {
                    pending.Remove(change.Key);
                    running.Add(change.Key, (change, RunAsync(change, ids, gate, cancellationToken)));
                }
            }
            if (running.Count == 0)
            {
                // Whatever is left waits on something that is neither pending nor running: a cycle.
                foreach (var change in pending.Values)
                {
                    skipped.Add(new FailedChange(change, "dependency cycle"));
                    progress.Skipped(change, "dependency cycle");
                }
                break;
            }
            await Task.WhenAny(running.Values.Select(r => r.Task));
            var (finishedChange, finished) = running.Values.First(r => r.Task.IsCompleted);
            running.Remove(finishedChange.Key);
            var error = await finished;
            if (error is null)
            {
                done.Add(finishedChange.Key);
                applied++;
            }
            else
            {
                broken[finishedChange.Key] = error.Message;
                failed.Add(new FailedChange(finishedChange, error.Message));
            }
        }
        return applied;
    }

    private static bool IsPending(ResourceKey key, Dictionary<ResourceKey, ResourceChange> pending,
        Dictionary<ResourceKey, (ResourceChange, Task<Exception?>)> running) =>
        pending.ContainsKey(key) || running.ContainsKey(key);

    private async Task<int> ApplyDeletesAsync(Plan plan, List<FailedChange> failed, List<FailedChange> skipped,
        CancellationToken cancellationToken)
    {
        var applied = 0;
        using var gate = new SemaphoreSlim(parallelism);
        var waves = plan.Changes.Where(c => c.Action == ChangeAction.Delete)
            .GroupBy(c => Planner.HandlerFor(handlers, c.Key).DeleteOrder)
            .OrderBy(g => g.Key);
        foreach (var wave in waves)
        {
            if (failed.Count > 0)
            {
                // A resource that outlived its delete may still hold what later waves delete (a subnet holds
                // its VPC): stop here and report, rather than fail a cascade of dependency violations.
                foreach (var change in wave)
                {
                    skipped.Add(new FailedChange(change, "an earlier deletion failed"));
                    progress.Skipped(change, "an earlier deletion failed");
                }
                continue;
            }
            var tasks = wave.Select(c => (Change: c, Task: RunAsync(c, null, gate, cancellationToken))).ToList();
            foreach (var (change, task) in tasks)
            {
                var error = await task;
                if (error is null) applied++;
                else failed.Add(new FailedChange(change, error.Message));
            }
        }
        return applied;
    }

    private async Task<Exception?> RunAsync(ResourceChange change, ResolvedIds? ids, SemaphoreSlim gate,
        CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            progress.Started(change);
            var started = _time.GetTimestamp();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await ApplyOneAsync(change, ids, cancellationToken);
                    progress.Succeeded(change, _time.GetElapsedTime(started));
                    return null;
                }
                catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var elapsed = _time.GetElapsedTime(started);
                    if (_budget.DelayAfter(classify(error), attempt, elapsed) is { } delay)
                    {
                        progress.Retrying(change, error, attempt, delay);
                        await Task.Delay(delay, _time, cancellationToken);
                        continue;
                    }
                    var reported = attempt == 1 ? error : new RetriesExhaustedException(error, attempt, elapsed);
                    progress.Failed(change, reported);
                    return reported;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ApplyOneAsync(ResourceChange change, ResolvedIds? ids, CancellationToken cancellationToken)
    {
        var handler = Planner.HandlerFor(handlers, change.Key);
        switch (change.Action)
        {
            case ChangeAction.Create:
                var created = await handler.CreateAsync(change.Desired!, ids!, cancellationToken);
                ids!.Set(change.Key, created.Id);
                break;
            case ChangeAction.Update:
                // The plan's fields were computed before this run created the resource's dependencies; compare again
                // now that their ids are known, so an update never acts on a placeholder.
                var fields = handler.Diff(change.Desired!, change.Actual!, ids!);
                if (fields.Count > 0) await handler.UpdateAsync(change.Desired!, change.Actual!, fields, ids!, cancellationToken);
                break;
            case ChangeAction.Delete:
                await handler.DeleteAsync(change.Actual!, cancellationToken);
                break;
        }
    }
}
