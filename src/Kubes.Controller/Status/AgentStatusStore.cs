using Kubes.Protos.Contract;
using Google.Protobuf;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Protos.V1;

namespace Kubes.Controller.Status;

/// <summary>
/// The latest AgentStatus of every agent, one protobuf object per instance in the state store, so
/// <c>kubes status</c> can read it without the process that received the reports.
/// </summary>
public sealed class AgentStatusStore
{
    private const string Folder = "status/agents/";
    private const string Suffix = ".pb";

    private readonly IStateStore _store;

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
        var statuses = new List<AgentStatus>();
        foreach (var key in await _store.ListAsync(Folder, cancellationToken))
        {
            if (!key.EndsWith(Suffix, StringComparison.Ordinal)) continue;
            var stored = await _store.GetAsync(key, cancellationToken);
            if (stored is not null) statuses.Add(AgentStatus.Parser.ParseFrom(stored.Content));
        }
        return statuses;
    }

    public Task DeleteAsync(string instanceId, CancellationToken cancellationToken = default) =>
        _store.DeleteAsync(KeyOf(instanceId), cancellationToken);

    private static string KeyOf(string instanceId)
    {
        if (!InstanceIds.IsValid(instanceId)) throw new ArgumentException($"'{instanceId}' is not an instance id.", nameof(instanceId));
        return $"{Folder}{instanceId}{Suffix}";
    }
}
