using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Tests.Reconciler;

public sealed class RetryBudgetTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_permanent_failure_is_never_retried() =>
        Assert.Null(new RetryBudget(6, Window, Cap).DelayAfter(FailureKind.Permanent, 1, TimeSpan.Zero));

    [Fact]
    public void A_transient_failure_gets_the_given_number_of_attempts_with_growing_jittered_delays()
    {
        var budget = new RetryBudget(4, Window, Cap, () => 0.5);

        Assert.Equal(TimeSpan.FromMilliseconds(250), budget.DelayAfter(FailureKind.Transient, 1, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(500), budget.DelayAfter(FailureKind.Transient, 2, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(1000), budget.DelayAfter(FailureKind.Transient, 3, TimeSpan.Zero));
        Assert.Null(budget.DelayAfter(FailureKind.Transient, 4, TimeSpan.Zero));
    }

    [Fact]
    public void A_transient_failure_never_waits_longer_than_the_cap() =>
        Assert.Equal(Cap, new RetryBudget(100, Window, Cap, () => 1.0).DelayAfter(FailureKind.Transient, 50, TimeSpan.Zero));

    [Fact]
    public void A_dependency_being_released_is_retried_past_any_attempt_count_until_the_window_closes()
    {
        var budget = new RetryBudget(6, Window, Cap, () => 1.0);

        Assert.Equal(TimeSpan.FromSeconds(1), budget.DelayAfter(FailureKind.Releasing, 1, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(16), budget.DelayAfter(FailureKind.Releasing, 5, TimeSpan.FromSeconds(15)));
        Assert.Equal(Cap, budget.DelayAfter(FailureKind.Releasing, 200, TimeSpan.FromMinutes(5)));
        Assert.Null(budget.DelayAfter(FailureKind.Releasing, 3, Window));
    }

    [Fact]
    public void The_last_wait_for_a_release_ends_when_the_window_does()
    {
        var budget = new RetryBudget(6, Window, Cap, () => 1.0);

        Assert.Equal(TimeSpan.FromSeconds(4), budget.DelayAfter(FailureKind.Releasing, 30, Window - TimeSpan.FromSeconds(4)));
    }

    [Fact]
    public void Jitter_spreads_a_release_wait_over_the_upper_half_of_its_delay_only()
    {
        Assert.Equal(TimeSpan.FromSeconds(4), new RetryBudget(6, Window, Cap, () => 0.0).DelayAfter(FailureKind.Releasing, 4, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(8), new RetryBudget(6, Window, Cap, () => 1.0).DelayAfter(FailureKind.Releasing, 4, TimeSpan.Zero));
    }
}
