using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Protos.V1;

namespace Kubes.Controller.Providers;

/// <summary>The agents' reports as another process — the one answering them — keeps them in the state store.</summary>
public sealed class StoredAgentStatus(IStateStore store, string description, TimeSpan pollInterval) : IAgentStatusSource
{
    private readonly AgentStatusStore _statuses = new(store);

    public string Description => description;

    public TimeSpan PollInterval => pollInterval;

    public Task<IReadOnlyList<AgentStatus>> ReadAsync(CancellationToken cancellationToken) => _statuses.ListAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
