using Kubes.Protos.Contract;
using Google.Protobuf;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Protos.V1;

namespace Kubes.Controller.Status;

/// <summary>
/// The latest AgentStatus of every agent, one protobuf object per instance in the state store, so
/// <c>kubes status</c> can read it without the process that received the reports. Listing them again reads only the
/// objects whose tag changed since this store last read them: a coordinator that refreshes every few seconds costs
/// one listing per refresh, not one read per agent.
/// </summary>
public sealed class AgentStatusStore
{
    private const string Folder = "status/agents/";
    private const string Suffix = ".pb";

    private readonly IStateStore _store;
    private readonly Lock _lock = new();
    private Dictionary<string, (string Tag, AgentStatus Status)> _read = new(StringComparer.Ordinal);

    public AgentStatusStore(IStateStore store)
    {
        _store = store;
    }

    public Task PutAsync(AgentStatus status, CancellationToken cancellationToken = default) =>
        _store.PutAsync(KeyOf(status.InstanceId), status.ToByteArray(), cancellationToken: cancellationToken);

    public async Task<AgentStatus?> GetAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var stored = await _store.GetAsync(KeyOf(instanceId), cancellationToken);
        return stored is null ? null : AgentStatus.Parser.ParseFrom(stored.Content);
    }

    /// <summary>Every agent's status, ordered by instance id.</summary>
    public async Task<IReadOnlyList<AgentStatus>> ListAsync(CancellationToken cancellationToken = default)
    {
        Dictionary<string, (string Tag, AgentStatus Status)> known;
        lock (_lock) known = _read;
        var read = new Dictionary<string, (string Tag, AgentStatus Status)>(StringComparer.Ordinal);
        foreach (var entry in await _store.ListEntriesAsync(Folder, cancellationToken))
        {
            if (!entry.Key.EndsWith(Suffix, StringComparison.Ordinal)) continue;
            if (known.TryGetValue(entry.Key, out var cached) && cached.Tag == entry.Tag)
            {
                read[entry.Key] = cached;
                continue;
            }
            var stored = await _store.GetAsync(entry.Key, cancellationToken);
            if (stored is not null) read[entry.Key] = (entry.Tag, AgentStatus.Parser.ParseFrom(stored.Content));
        }
        lock (_lock) _read = read;
        return [.. read.Values.Select(r => r.Status.Clone())];
    }

    public Task DeleteAsync(string instanceId, CancellationToken cancellationToken = default) =>
        _store.DeleteAsync(KeyOf(instanceId), cancellationToken);

    private static string KeyOf(string instanceId)
    {
        if (!InstanceIds.IsValid(instanceId)) throw new ArgumentException($"'{instanceId}' is not an instance id.", nameof(instanceId));
        return $"{Folder}{instanceId}{Suffix}";
    }
}
