using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// Keeps an installed role (or one this agent cannot install) in step with the coordinator: reports its state every
/// health interval (and when a certificate is due, which the state report renews), and asks again for the role configuration (a re-join with the agent credential) once the re-sync
/// period has passed, or at once when a report's answer names another configuration. A configuration with the same
/// config_hash changes nothing; another one is returned, for the conversation to install.
/// </summary>
public sealed class RoleConfigFollower(
    ResyncTrigger trigger,
    RoleConfigRefresh refresh,
    ConversationTiming timing,
    TimeProvider time,
    ILogger<RoleConfigFollower> log)
{
    /// <param name="reportState">Reports the role's state once (its health, checked anew after the first report).</param>
    /// <param name="wakeBy">A time the state must be reported by, if any, earlier than the next health interval (a
    /// certificate due for renewal, which the state report renews).</param>
    /// <returns>The join carrying the other configuration.</returns>
    public async Task<JoinResponse> FollowAsync(InstanceIdentity identity, JoinResponse joined, Func<CancellationToken, Task> reportState,
        Func<DateTimeOffset?> wakeBy, CancellationToken cancellationToken)
    {
        var running = joined.RoleConfig!.ConfigHash;
        var period = PeriodOf(joined.RoleConfig);
        var due = time.GetUtcNow() + period;
        trigger.Following(running);
        while (true)
        {
            await reportState(cancellationToken);
            var now = time.GetUtcNow();
            var wait = Min(timing.HealthInterval, due - now);
            // What is due before the next health check (a certificate's renewal) is done at its time, not an interval late.
            // One already past (a renewal that failed) waits for the interval like the rest: never a tight loop.
            if (wakeBy() is { } at && at > now) wait = Min(wait, at - now);
            var told = await trigger.WaitAsync(wait, cancellationToken);
            if (told is null && time.GetUtcNow() < due) continue;

            if (told is null)
                log.LogInformation("Asking the coordinator again for the role configuration ({Period} since the last time); running {Hash}",
                    period, running);
            else
                log.LogInformation("The coordinator wants {Told}: asking it for the role configuration; running {Hash}", told, running);
            var fresh = await refresh.RefreshAsync(identity, joined, cancellationToken);
            trigger.Asked();
            due = time.GetUtcNow() + period;
            if (fresh.RoleConfig!.ConfigHash != running) return fresh;
            if (told is not null)
            {
                log.LogWarning("The coordinator said {Told} but answered the configuration this agent runs ({Hash}); keeping it", told, running);
            }
            joined = fresh;
        }
    }

    private TimeSpan PeriodOf(RoleConfig config) => config.ResyncSeconds > 0 ? TimeSpan.FromSeconds(config.ResyncSeconds) : timing.ResyncPeriod;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
