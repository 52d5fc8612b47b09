using Polly;
using Polly.Retry;

namespace Kubes.Agent.Retries;

/// <summary>
/// How a wait for a state reads it again: every <see cref="Interval"/> (doubling up to <see cref="MaxInterval"/> when one
/// is given), for at most <see cref="Timeout"/>.
/// </summary>
public sealed record PollTiming(TimeSpan Interval, TimeSpan Timeout, TimeSpan? MaxInterval = null);

/// <summary>Waits for a state by reading it again (a device to appear, a service to answer, a response object): Polly's retry on the result.</summary>
public static class Poll
{
    /// <summary>Reads until <paramref name="done"/> accepts what was read or the timeout has passed; returns the last read.</summary>
    /// <param name="waiting">Told before each wait, with what was read.</param>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, ValueTask<T>> read, Func<T, bool> done, PollTiming timing,
        TimeProvider time, CancellationToken cancellationToken, Action<T>? waiting = null)
    {
        var deadline = time.GetUtcNow() + timing.Timeout;
        // The untyped pipeline: Polly's typed one asks the result type to keep every member under trimming.
        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is null && !done((T)args.Outcome.Result!) && time.GetUtcNow() < deadline),
                BackoffType = timing.MaxInterval is null ? DelayBackoffType.Constant : DelayBackoffType.Exponential,
                Delay = timing.Interval,
                MaxDelay = timing.MaxInterval,
                UseJitter = false,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    waiting?.Invoke((T)args.Outcome.Result!);
                    return default;
                },
            })
            .Build();
        return await pipeline.ExecuteAsync(read, cancellationToken);
    }
}
