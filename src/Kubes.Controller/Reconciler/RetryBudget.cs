namespace Kubes.Controller.Reconciler;

/// <summary>
/// How long a failing change is tried again: a transient failure a few times with exponential backoff and full jitter;
/// a failure on something still being released until <paramref name="releaseWindow"/> has passed since the first
/// attempt, with a backoff capped at <paramref name="maxDelay"/> so the change goes through soon after AWS lets go.
/// </summary>
public sealed class RetryBudget(int transientAttempts, TimeSpan releaseWindow, TimeSpan maxDelay, Func<double>? jitter = null)
{
    private static readonly TimeSpan TransientBase = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ReleasingBase = TimeSpan.FromSeconds(1);
    private readonly Func<double> _jitter = jitter ?? Random.Shared.NextDouble;

    /// <summary>A load balancer's network interfaces can outlive it by several minutes; ten is generous and bounded.</summary>
    public static RetryBudget Default { get; } = new(6, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30));

    public TimeSpan ReleaseWindow => releaseWindow;

    /// <summary>How long to wait before attempt <paramref name="attempt"/> + 1, or null to give up.</summary>
    /// <param name="attempt">The attempt that just failed, from 1.</param>
    /// <param name="elapsed">Time since the first attempt started.</param>
    public TimeSpan? DelayAfter(FailureKind kind, int attempt, TimeSpan elapsed) => kind switch
    {
        FailureKind.Transient when attempt < transientAttempts => Capped(TransientBase, attempt) * _jitter(),
        FailureKind.Releasing when elapsed < releaseWindow =>
            Min(Capped(ReleasingBase, attempt - 1) * (0.5 + _jitter() / 2), releaseWindow - elapsed),
        _ => null,
    };

    private TimeSpan Capped(TimeSpan unit, int doublings) =>
        Min(unit * Math.Pow(2, Math.Min(doublings, 30)), maxDelay);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
