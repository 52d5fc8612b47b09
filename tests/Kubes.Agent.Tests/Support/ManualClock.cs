namespace Kubes.Agent.Tests.Support;

/// <summary>A clock the test moves by hand: virtual time for decisions that depend on it.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
