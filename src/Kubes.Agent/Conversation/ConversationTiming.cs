using Kubes.Agent.Retries;

namespace Kubes.Agent.Conversation;

/// <summary>How long the conversation waits, in one place: production values, shorter ones in tests.</summary>
public sealed record ConversationTiming
{
    /// <summary>Between health reports once the role is installed.</summary>
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a started role may take to become healthy before it is reported Degraded.</summary>
    public TimeSpan ReadinessTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ReadinessPoll { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How often the agent asks again for its role configuration when the coordinator tells it nothing; a role
    /// configuration's resync_seconds overrides it.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Retries of calls while the coordinator or instance metadata is unreachable.</summary>
    public Backoff Unreachable { get; init; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    /// <summary>Retries of the whole conversation after a failure that may pass (a download, a step).</summary>
    public Backoff AfterFailure { get; init; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
}
