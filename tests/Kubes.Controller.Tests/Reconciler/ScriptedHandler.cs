using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Tests.Reconciler;

/// <summary>A resource type held in memory: writes every start and end of a change to a shared log, and fails a
/// change as its script says.</summary>
internal sealed class ScriptedHandler(string type, int deleteOrder, List<string> log) : IResourceHandler
{
    private readonly Dictionary<ResourceKey, Func<int, Exception?>> _failures = [];
    private readonly Dictionary<ResourceKey, Task> _holds = [];
    private readonly Dictionary<ResourceKey, TaskCompletionSource> _starts = [];
    private readonly Dictionary<ResourceKey, int> _attempts = [];
    private readonly HashSet<ResourceKey> _drifted = [];

    public string Type => type;
    public int DeleteOrder => deleteOrder;

    /// <summary>Attempt n (from 1) of the change to <paramref name="key"/> throws what <paramref name="failure"/> returns for n, if anything.</summary>
    public ScriptedHandler Failing(ResourceKey key, Func<int, Exception?> failure)
    {
        _failures[key] = failure;
        return this;
    }

    /// <summary>The live <paramref name="key"/> differs from the desired one.</summary>
    public ScriptedHandler Drifted(ResourceKey key)
    {
        _drifted.Add(key);
        return this;
    }

    /// <summary>The change to <paramref name="key"/> does not end before <paramref name="until"/> completes.</summary>
    public ScriptedHandler Holding(ResourceKey key, Task until)
    {
        _holds[key] = until;
        return this;
    }

    /// <summary>Completes once the change to <paramref name="key"/> has started in this handler (not just been announced).</summary>
    public Task StartOf(ResourceKey key)
    {
        lock (log) return StartSignal(key).Task;
    }

    private TaskCompletionSource StartSignal(ResourceKey key) =>
        _starts.TryGetValue(key, out var signal) ? signal
            : _starts[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Attempts(ResourceKey key)
    {
        lock (log) return _attempts.GetValueOrDefault(key);
    }

    public Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ActualResource>>([]);

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids) =>
        _drifted.Contains(desired.Key) ? [new FieldChange("drift", "live", "desired")] : [];

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken cancellationToken)
    {
        foreach (var dependency in desired.DependsOn) ids.Require(dependency);
        await RunAsync("create", desired.Key);
        return new ActualResource(desired.Key, $"id-{desired.Key.Name}", desired.Key.Name);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken cancellationToken) => RunAsync("update", desired.Key);

    public Task DeleteAsync(ActualResource actual, CancellationToken cancellationToken) => RunAsync("delete", actual.Key);

    private async Task RunAsync(string verb, ResourceKey key)
    {
        int attempt;
        lock (log)
        {
            attempt = _attempts[key] = _attempts.GetValueOrDefault(key) + 1;
            log.Add($"start {verb} {key}");
            StartSignal(key).TrySetResult();
        }
        await Task.Yield();
        if (_holds.TryGetValue(key, out var hold)) await hold.WaitAsync(TimeSpan.FromSeconds(10));
        if (_failures.TryGetValue(key, out var failure) && failure(attempt) is { } error)
        {
            lock (log) log.Add($"fail {verb} {key}");
            throw error;
        }
        lock (log) log.Add($"end {verb} {key}");
    }
}

internal sealed record ScriptedResource(ResourceKey Key, params ResourceKey[] Needs) : DesiredResource(Key)
{
    public override IReadOnlyList<ResourceKey> DependsOn => Needs;
    public override IReadOnlyList<ResourceProperty> Describe() => [];
}
