namespace Kubes.Agent.Conversation;

/// <summary>
/// The tell, as the agent hears it: every answer to a report names the config_hash the coordinator wants this instance
/// to run. One that differs from the configuration the agent follows wakes the conversation at once to ask for its role
/// configuration again; one that names it, or nothing, is no news.
/// </summary>
public sealed class ResyncTrigger(TimeProvider time)
{
    private readonly Lock _lock = new();
    private string _following = "";
    private string? _told;
    private TaskCompletionSource _news = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The configuration the agent installs and runs from now on; what was told before it is answered by it. The
    /// same configuration again changes nothing (a tell heard while it was installed still counts).</summary>
    public void Following(string configHash)
    {
        lock (_lock)
        {
            if (configHash == _following) return;
            _following = configHash;
            Forget();
        }
    }

    /// <summary>The agent asked the coordinator for its configuration: whatever was told so far is answered.</summary>
    public void Asked()
    {
        lock (_lock) Forget();
    }

    /// <summary>A report's answer: the config_hash the coordinator wants (empty: no opinion).</summary>
    public void Heard(string desiredConfigHash)
    {
        lock (_lock)
        {
            if (desiredConfigHash.Length == 0 || desiredConfigHash == _following || desiredConfigHash == _told) return;
            _told = desiredConfigHash;
            _news.TrySetResult();
        }
    }

    private void Forget()
    {
        _told = null;
        if (_news.Task.IsCompleted) _news = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The config_hash told since <see cref="Following"/>, as soon as one is, or null once <paramref name="timeout"/> passed.</summary>
    public async Task<string?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task news;
        lock (_lock)
        {
            if (_told is not null || timeout <= TimeSpan.Zero) return _told;
            news = _news.Task;
        }
        try
        {
            await news.WaitAsync(timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        lock (_lock) return _told;
    }
}
