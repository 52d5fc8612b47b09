using Kubes.Protos.V1;

namespace Kubes.Controller.Providers;

/// <summary>Where <c>kubes up</c> reads the agents' reports while it follows them, and who answers the agents meanwhile.</summary>
public interface IAgentStatusSource : IAsyncDisposable
{
    /// <summary>Who answers the agents, for the operator: the coordinator process, or this one through the mailbox.</summary>
    string Description { get; }

    /// <summary>How often reading again can show something new.</summary>
    TimeSpan PollInterval { get; }

    Task<IReadOnlyList<AgentStatus>> ReadAsync(CancellationToken cancellationToken);
}
