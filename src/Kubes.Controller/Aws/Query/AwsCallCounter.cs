using System.Collections.Concurrent;

namespace Kubes.Controller.Aws.Query;

/// <summary>Counts AWS API calls by service and action; safe to share between concurrent clients.</summary>
public sealed class AwsCallCounter : IAwsCallObserver
{
    private readonly ConcurrentQueue<AwsCall> calls = new();

    public void OnCall(AwsCall call) => calls.Enqueue(call);

    public IReadOnlyList<AwsCall> Calls => [.. calls];

    public int Total => calls.Count;

    public int Mutations => calls.Count(call => call.Mutating);

    public int Count(string service, string action) =>
        calls.Count(call => call.Service == service && call.Action == action);

    /// <summary>Calls per <c>service:Action</c>, for printing in benchmarks.</summary>
    public IReadOnlyDictionary<string, int> ByAction() =>
        calls.GroupBy(call => $"{call.Service}:{call.Action}")
             .OrderBy(group => group.Key, StringComparer.Ordinal)
             .ToDictionary(group => group.Key, group => group.Count());
}
