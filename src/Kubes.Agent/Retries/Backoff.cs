using Polly;
using Polly.Retry;

namespace Kubes.Agent.Retries;

/// <summary>
/// How the agent waits between tries of something that is away (the coordinator, instance metadata, a failed install):
/// exponential backoff with jitter (Polly's decorrelated jitter), capped at <see cref="Max"/>, so a fleet of agents that
/// lost the coordinator together does not come back in step. Retries go on until they succeed, the failure is one a
/// retry cannot fix, or the agent stops.
/// </summary>
public sealed record Backoff(TimeSpan Initial, TimeSpan Max)
{
    /// <param name="shouldRetry">Whether a failure may pass; any other failure ends the retries and is thrown.</param>
    /// <param name="onRetry">Told before each wait: the place for the "retrying in {Delay}" line.</param>
    /// <param name="randomizer">The jitter's source of numbers in [0, 1): fixed in tests.</param>
    public ResiliencePipeline RetryForever(Func<Exception, bool> shouldRetry, TimeProvider time, Func<RetryNotice, ValueTask> onRetry,
        Func<double>? randomizer = null)
    {
        var options = new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && shouldRetry(e)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = Initial,
            MaxDelay = Max,
            MaxRetryAttempts = int.MaxValue,
            OnRetry = args => onRetry(new RetryNotice(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception!)),
        };
        if (randomizer is not null)
        {
            options.Randomizer = randomizer;
        }

        return new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(options).Build();
    }
}

/// <param name="Attempt">The attempt that failed, counted from 1.</param>
/// <param name="Delay">How long the retry waits before the next attempt.</param>
public readonly record struct RetryNotice(int Attempt, TimeSpan Delay, Exception Exception);
