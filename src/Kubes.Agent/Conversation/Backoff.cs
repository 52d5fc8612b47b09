namespace Kubes.Agent.Conversation;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a uniform random time in [0, min(max, initial·2ⁿ)],
/// so a fleet of agents that lost the coordinator together does not come back in step.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    public TimeSpan Initial { get; } = initial;
    public TimeSpan Max { get; } = max;

    public TimeSpan Ceiling(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, 62);
        var ticks = exponent >= 62 || Initial.Ticks > Max.Ticks >> exponent ? Max.Ticks : Initial.Ticks << exponent;
        return TimeSpan.FromTicks(Math.Min(ticks, Max.Ticks));
    }

    public TimeSpan Delay(int attempt) => TimeSpan.FromTicks((long)(_random.NextDouble() * Ceiling(attempt).Ticks));
}
