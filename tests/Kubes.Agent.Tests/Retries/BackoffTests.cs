using CsCheck;
using Kubes.Agent.Retries;

namespace Kubes.Agent.Tests.Retries;

public sealed class BackoffTests
{
    private sealed class Transient : Exception;

    /// <summary>Runs an operation that fails <paramref name="failures"/> times and returns the delays the retries waited.</summary>
    private static async Task<List<TimeSpan>> DelaysAsync(Backoff backoff, int failures, Func<double>? randomizer = null)
    {
        var delays = new List<TimeSpan>();
        var calls = 0;
        await backoff.RetryForever(e => e is Transient, TimeProvider.System, notice =>
        {
            delays.Add(notice.Delay);
            return default;
        }, randomizer).ExecuteAsync(_ => ++calls <= failures ? throw new Transient() : ValueTask.CompletedTask);
        return delays;
    }

    [Fact]
    public void Every_delay_lies_between_zero_and_the_cap() =>
        Gen.Int[1, 20].Select(Gen.Int[1, 20], Gen.Int[1, 12], Gen.Int).Sample((initialMs, extraMs, failures, seed) =>
        {
            var random = new Random(seed);
            var max = TimeSpan.FromMilliseconds(initialMs + extraMs);
            var delays = DelaysAsync(new Backoff(TimeSpan.FromMilliseconds(initialMs), max), failures, random.NextDouble)
                .GetAwaiter().GetResult();
            return delays.Count == failures && delays.All(d => d >= TimeSpan.Zero && d <= max);
        }, iter: 30);

    [Fact]
    public async Task Delays_are_jittered_not_fixed()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

        var one = await DelaysAsync(backoff, 6, new Random(1).NextDouble);
        var other = await DelaysAsync(backoff, 6, new Random(2).NextDouble);

        Assert.Equal(6, one.Distinct().Count());
        Assert.NotEqual(one, other);
    }

    [Fact]
    public async Task A_failure_the_predicate_refuses_ends_the_retries()
    {
        var calls = 0;
        var pipeline = new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2))
            .RetryForever(e => e is Transient, TimeProvider.System, _ => default);

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync(_ =>
            ++calls < 3 ? throw new Transient() : throw new InvalidOperationException("permanent")).AsTask());
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task Retry_notices_count_attempts_from_one()
    {
        var attempts = new List<int>();
        var calls = 0;
        await new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2))
            .RetryForever(e => e is Transient, TimeProvider.System, notice =>
            {
                attempts.Add(notice.Attempt);
                return default;
            }).ExecuteAsync(_ => ++calls <= 3 ? throw new Transient() : ValueTask.CompletedTask);

        Assert.Equal([1, 2, 3], attempts);
    }
}
