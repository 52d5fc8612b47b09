using Kubes.Agent.Retries;

namespace Kubes.Agent.Tests.Retries;

public sealed class PollTests
{
    [Fact]
    public async Task Reads_until_the_state_is_there_and_returns_it()
    {
        var reads = 0;
        var waits = new List<int>();

        var result = await Poll.UntilAsync(_ => ValueTask.FromResult(++reads), n => n >= 4,
            new PollTiming(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30)), TimeProvider.System, CancellationToken.None,
            waiting: waits.Add);

        Assert.Equal(4, result);
        Assert.Equal([1, 2, 3], waits);
    }

    [Fact]
    public async Task After_the_timeout_the_last_read_is_returned()
    {
        var reads = 0;

        var result = await Poll.UntilAsync(_ => ValueTask.FromResult<string?>(null), found => found is not null,
            new PollTiming(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100)), TimeProvider.System, CancellationToken.None,
            waiting: _ => reads++);

        Assert.Null(result);
        Assert.InRange(reads, 1, 10);
    }

    [Fact]
    public async Task A_read_that_throws_ends_the_wait()
    {
        await Assert.ThrowsAsync<IOException>(() => Poll.UntilAsync<bool>(_ => throw new IOException("gone"), done => done,
            new PollTiming(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30)), TimeProvider.System, CancellationToken.None));
    }

    [Fact]
    public async Task With_a_maximum_interval_the_waits_double_up_to_it()
    {
        var started = new List<DateTimeOffset>();

        await Poll.UntilAsync(_ =>
            {
                started.Add(DateTimeOffset.UtcNow);
                return ValueTask.FromResult(started.Count);
            }, n => n >= 5,
            new PollTiming(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(30), MaxInterval: TimeSpan.FromMilliseconds(40)),
            TimeProvider.System, CancellationToken.None);

        var gaps = started.Zip(started.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps[3] >= TimeSpan.FromMilliseconds(35), string.Join(", ", gaps));
    }
}
