namespace Kubes.Controller.Tests.Pki.Support;

/// <summary>A clock that always says the same instant, so validity periods can be checked exactly.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public static readonly DateTimeOffset Instant = new(2030, 3, 14, 15, 9, 26, TimeSpan.Zero);

    public FixedClock() : this(Instant)
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}
