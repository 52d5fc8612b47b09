using CsCheck;
using Kubes.Agent.Conversation;

namespace Kubes.Agent.Tests.Conversation;

public sealed class BackoffTests
{
    [Fact]
    public void Every_delay_lies_between_zero_and_the_capped_exponential_ceiling() =>
        Gen.Int[1, 5000].Select(Gen.Int[1, 600_000], Gen.Int[0, 200], Gen.Int).Sample((initialMs, maxMs, attempt, seed) =>
        {
            var backoff = new Backoff(TimeSpan.FromMilliseconds(initialMs), TimeSpan.FromMilliseconds(maxMs), new Random(seed));
            var ceiling = backoff.Ceiling(attempt);
            var delay = backoff.Delay(attempt);
            var expected = Math.Min(maxMs, initialMs * Math.Pow(2, Math.Min(attempt, 62)));
            return delay >= TimeSpan.Zero && delay <= ceiling && Math.Abs(ceiling.TotalMilliseconds - expected) < 1e-6;
        });

    [Fact]
    public void The_ceiling_doubles_until_the_cap()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(0, 8).Select(a => backoff.Ceiling(a).TotalSeconds));
    }

    [Fact]
    public void Delays_are_jittered_not_fixed()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), new Random(7));

        Assert.True(Enumerable.Range(0, 20).Select(_ => backoff.Delay(5)).Distinct().Count() > 10);
    }
}
