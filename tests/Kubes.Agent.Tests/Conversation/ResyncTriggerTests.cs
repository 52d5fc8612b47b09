using Kubes.Agent.Conversation;
using Microsoft.Extensions.Time.Testing;

namespace Kubes.Agent.Tests.Conversation;

/// <summary>The tell as the agent hears it, on virtual time: only another configuration than the one it follows is news.</summary>
public sealed class ResyncTriggerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new();
    private readonly ResyncTrigger _trigger;

    public ResyncTriggerTests()
    {
        _trigger = new ResyncTrigger(_time);
        _trigger.Following("aaa");
    }

    [Fact]
    public async Task Another_configuration_told_wakes_the_wait_at_once()
    {
        var wait = _trigger.WaitAsync(Interval, CancellationToken.None);
        Assert.False(wait.IsCompleted);

        _trigger.Heard("bbb");

        Assert.Equal("bbb", await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("aaa")]
    [InlineData("")]
    public async Task The_configuration_it_follows_or_no_opinion_is_no_news(string told)
    {
        var wait = _trigger.WaitAsync(Interval, CancellationToken.None);
        _trigger.Heard(told);
        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_tell_heard_before_the_wait_is_kept_for_it_even_while_the_same_configuration_is_installed_again()
    {
        _trigger.Heard("bbb");
        _trigger.Following("aaa");
        Assert.Equal("bbb", await _trigger.WaitAsync(Interval, CancellationToken.None));
    }

    [Fact]
    public async Task Following_another_configuration_or_asking_the_coordinator_answers_what_was_told()
    {
        _trigger.Heard("bbb");
        _trigger.Following("bbb");
        Assert.Null(await _trigger.WaitAsync(TimeSpan.Zero, CancellationToken.None));

        _trigger.Heard("ccc");
        _trigger.Asked();
        Assert.Null(await _trigger.WaitAsync(TimeSpan.Zero, CancellationToken.None));
        _trigger.Heard("ccc");
        Assert.Equal("ccc", await _trigger.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }
}
