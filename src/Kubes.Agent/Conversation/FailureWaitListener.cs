using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// While the conversation waits out its failure backoff (up to <see cref="ConversationTiming.AfterFailure"/>'s ten
/// minutes), repeats the Failed report every health interval, so the coordinator's answer can name the configuration it
/// wants this instance to run, and ends the wait as soon as it names one not tried yet: the operator fixed the cause
/// (imported a missing program, applied a corrected spec) and ran <c>kubes up</c>, which should not wait out the backoff.
/// A configuration that ended one wait does not end another, so a coordinator that keeps naming it cannot make the agent
/// retry without pause.
/// </summary>
public sealed class FailureWaitListener(ResyncTrigger trigger, ReportPublisher reports, ConversationTiming timing, TimeProvider time,
    ILogger<FailureWaitListener> log)
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _listening;
    private string? _ended;
    private string? _pending;

    /// <summary>Listens until <see cref="Stop"/>; cancels <paramref name="wait"/> when the coordinator names a configuration
    /// not tried yet.</summary>
    public void Listen(CancellationTokenSource wait)
    {
        CancellationTokenSource listening;
        lock (_lock)
        {
            _listening?.Cancel();
            _listening?.Dispose();
            _listening = listening = CancellationTokenSource.CreateLinkedTokenSource(wait.Token);
        }
        _ = ListenAsync(wait, listening.Token);
    }

    /// <summary>The next attempt starts: the wait is over.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _listening?.Cancel();
            _listening?.Dispose();
            _listening = null;
        }
    }

    /// <summary>The configuration that ended the last wait, once: the next attempt asks the coordinator for it first.</summary>
    public string? TakeTold()
    {
        lock (_lock)
        {
            var told = _pending;
            _pending = null;
            return told;
        }
    }

    private async Task ListenAsync(CancellationTokenSource wait, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var told = await trigger.WaitAsync(timing.HealthInterval, cancellationToken);
                if (told is not null && told != _ended)
                {
                    lock (_lock)
                    {
                        if (cancellationToken.IsCancellationRequested) return;
                        _ended = _pending = told;
                    }
                    log.LogInformation("The coordinator wants {Told}: trying again now instead of waiting out the failure backoff", told);
                    await wait.CancelAsync();
                    return;
                }
                // A tell already acted on answers at once: wait the interval out here instead.
                if (told is not null) await Task.Delay(timing.HealthInterval, time, cancellationToken);
                reports.Repeat();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
            // The wait's token source went with its attempt.
        }
    }
}
