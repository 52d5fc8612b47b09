namespace Kubes.Agent.Tests.Support;

/// <summary>A clock that always reads the same instant: signatures made with it are reproducible.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
