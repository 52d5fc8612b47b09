namespace Kubes.Controller.Aws.Query;

/// <summary>
/// Exponential backoff with full jitter: before attempt n+1 wait a uniformly random time in
/// [0, min(<see cref="MaxDelay"/>, <see cref="BaseDelay"/>·2^(n-1))), at most <see cref="MaxAttempts"/> attempts in all.
/// <see cref="Delay"/> and <see cref="Jitter"/> are injectable so tests neither sleep nor guess.
/// </summary>
public sealed record QueryRetryPolicy
{
    public static QueryRetryPolicy Default { get; } = new();

    public int MaxAttempts { get; init; } = 8;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>A number in [0, 1) per retry.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayAfter(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * Jitter());
    }
}
