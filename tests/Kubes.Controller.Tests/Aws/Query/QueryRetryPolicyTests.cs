using CsCheck;
using Kubes.Controller.Aws.Query;

namespace Kubes.Controller.Tests.Aws.Query;

public sealed class QueryRetryPolicyTests
{
    [Fact]
    public void The_ceiling_doubles_from_the_base_delay_up_to_the_maximum()
    {
        var policy = new QueryRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(20), Jitter = () => 1.0 };

        Assert.Equal(
            new[] { 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000 }.Select(ms => TimeSpan.FromMilliseconds(ms)),
            Enumerable.Range(1, 9).Select(policy.DelayAfter));
    }

    [Fact]
    public void Full_jitter_scales_the_whole_ceiling()
    {
        var policy = new QueryRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(200), Jitter = () => 0.25 };

        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.DelayAfter(3));
    }

    [Fact]
    public void Every_delay_lies_between_zero_and_the_maximum()
    {
        Gen.Select(Gen.Int[1, 10_000], Gen.Double[0, 0.999999]).Sample((attempt, jitter) =>
        {
            var delay = (QueryRetryPolicy.Default with { Jitter = () => jitter }).DelayAfter(attempt);
            Assert.InRange(delay, TimeSpan.Zero, QueryRetryPolicy.Default.MaxDelay);
        });
    }
}
