using Kubes.Controller.Channels;
using Kubes.Protos.V1;

namespace Kubes.Controller.Providers;

/// <summary>The registrar hosted in this process for as long as a command follows the agents; their reports as it holds them.</summary>
public sealed class HostedRegistrar(RegistrarHost host, string description, TimeSpan pollInterval) : IAgentStatusSource
{
    public string Description => description;

    public TimeSpan PollInterval => pollInterval;

    public Task<IReadOnlyList<AgentStatus>> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(host.Status.Snapshot());

    public ValueTask DisposeAsync() => host.DisposeAsync();
}
