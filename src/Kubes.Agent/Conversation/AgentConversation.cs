using System.Reflection;
using Kubes.Agent.Artifacts;
using Kubes.Agent.Channels;
using Kubes.Agent.Components;
using Kubes.Agent.Configuration;
using Kubes.Agent.Identity;
using Kubes.Agent.Pki;
using Kubes.Agent.Retries;
using Kubes.Agent.Steps;
using Kubes.Protos.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// The agent's one conversation: Join → Certify → install the role → Report, then the role's health every interval,
/// each certificate renewed when it is due, and the role configuration asked for again on a period and whenever the
/// coordinator tells it wants another one; another configuration is certified and installed the same way (the journal
/// skips what did not change). Every phase change is reported. A refusal by the coordinator (or a RoleConfig the agent
/// must not act on) is reported Failed and not retried; any other failure is reported Failed and the conversation
/// starts again after a long backoff, resuming from what is already done, or sooner when the coordinator names another
/// configuration meanwhile (<see cref="FailureWaitListener"/>).
/// </summary>
public sealed class AgentConversation(
    AgentConfig config,
    IInstanceIdentitySource identitySource,
    IRegistrarChannel channel,
    AgentStateStore state,
    CertificateRenewal certificates,
    AgentSession session,
    RoleInstaller installer,
    RoleConfigRefresh refresh,
    RoleConfigFollower follower,
    ResyncTrigger trigger,
    FailureWaitListener failureWait,
    ReportPublisher reports,
    ConversationTiming timing,
    TimeProvider time,
    ILogger<AgentConversation> log) : BackgroundService
{
    public static string Version { get; } =
        typeof(AgentConversation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    private string _step = "start";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        reports.Publish(Phase.Pending, _step);
        try
        {
            while (!await AttemptUntilToldAsync(stoppingToken))
            {
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (IsPermanent(e))
        {
            reports.Publish(Phase.Failed, _step,
                error: $"{e.Message}. The agent will not retry: fix the cause, then replace this instance " +
                       "(its join token is single-use).");
            await IdleAsync(stoppingToken);
        }
    }

    /// <summary>
    /// The conversation, started again after each failure that may pass once its backoff has passed, or at once when the
    /// coordinator names another configuration meanwhile (false: start again, with a fresh backoff).
    /// </summary>
    private async Task<bool> AttemptUntilToldAsync(CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var afterFailure = timing.AfterFailure.RetryForever(
            e => !IsPermanent(e) && !(e is OperationCanceledException && wait.IsCancellationRequested), time, notice =>
        {
            var step = notice.Exception is StepFailedException failed ? failed.Step : _step;
            reports.Publish(Phase.Failed, step, error: $"{notice.Exception.Message} (retrying in {notice.Delay.TotalSeconds:0}s)");
            failureWait.Listen(wait);
            return default;
        });
        try
        {
            await afterFailure.ExecuteAsync(async ct =>
            {
                failureWait.Stop();
                await ConverseAsync(ct);
            }, wait.Token);
            return true;
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            failureWait.Stop();
        }
    }

    /// <summary>A refusal, or a configuration the agent must not act on: the same attempt would fail the same way.</summary>
    private static bool IsPermanent(Exception e) =>
        e is RegistrarRefusedException or InvalidRoleConfigException or AgentConfigException;

    private async Task ConverseAsync(CancellationToken cancellationToken)
    {
        _step = "identity";
        var identity = await ReadIdentityAsync(cancellationToken);
        var joined = state.Load(identity.InstanceId);
        if (joined is null)
        {
            if (string.IsNullOrEmpty(config.JoinToken) && !config.ProvesIdentityThroughSts)
            {
                throw new AgentConfigException(
                    $"instance {identity.InstanceId} has not joined and agent.json has neither a joinToken nor an stsEndpoint: " +
                    "user-data must provide one");
            }

            _step = "join";
            reports.Publish(Phase.Joining, _step);
            joined = await channel.JoinAsync(new JoinRequest { Identity = identity, AgentVersion = Version }, cancellationToken);
            RoleConfigHash.Verify(joined.RoleConfig ?? new RoleConfig(), "Join");
            state.Save(identity.InstanceId, joined);
            log.LogInformation("Joined cluster {Cluster} as {Name} ({Role}, slot {Slot})",
                joined.RoleConfig!.Cluster, joined.RoleConfig.Name, joined.RoleConfig.Role, joined.RoleConfig.Slot);
        }
        else
        {
            RoleConfigHash.Verify(joined.RoleConfig ?? new RoleConfig(), "the agent's saved state");
            log.LogInformation("Resuming as {Name}: joined before, the saved credential and role configuration are used",
                joined.RoleConfig!.Name);
        }

        CheckRoleConfigIsFor(identity, joined.RoleConfig!);
        reports.Activate(identity.InstanceId, joined.AgentCredential);
        if (failureWait.TakeTold() is { } told && told != joined.RoleConfig!.ConfigHash)
        {
            joined = await refresh.RefreshAsync(identity, joined, cancellationToken);
            trigger.Asked();
            CheckRoleConfigIsFor(identity, joined.RoleConfig!);
        }
        while (true)
        {
            var (converged, health) = await ConvergeAsync(identity, joined, cancellationToken);
            var roleConfig = converged.RoleConfig!;
            joined = await follower.FollowAsync(identity, converged,
                StateReporter(roleConfig, health, identity.InstanceId, converged.AgentCredential),
                () => Earliest(certificates.NextRenewal, installer.RenewalDue(roleConfig)), cancellationToken);
            CheckRoleConfigIsFor(identity, joined.RoleConfig!);
            log.LogInformation("Role configuration {Hash} replaces {Previous}: certifying and installing what changed",
                joined.RoleConfig!.ConfigHash, converged.RoleConfig!.ConfigHash);
        }
    }

    /// <summary>
    /// Certifies and installs the join's role configuration, and waits until the role is healthy (or the readiness
    /// timeout passed). Returns the join it installed (a fresh one when the artifacts moved meanwhile) and the role's
    /// health; no health for a role this agent has no installer for.
    /// </summary>
    private async Task<(JoinResponse Joined, RoleHealth? Health)> ConvergeAsync(InstanceIdentity identity, JoinResponse joined,
        CancellationToken cancellationToken)
    {
        var roleConfig = joined.RoleConfig!;
        trigger.Following(roleConfig.ConfigHash);
        for (var refreshed = false; ; refreshed = true)
        {
            session.Joined(identity.InstanceId, joined.AgentCredential);
            _step = "certify";
            reports.Publish(Phase.Certifying, _step);
            await certificates.EnrollAsync(roleConfig, identity.InstanceId, joined.AgentCredential, cancellationToken);

            if (!installer.CanInstall(roleConfig.Role))
            {
                reports.Installed(roleConfig.ConfigHash);
                return (joined, null);
            }

            try
            {
                _step = "plan";
                reports.Publish(Phase.Installing, _step);
                await installer.InstallAsync(roleConfig, step =>
                {
                    _step = step.Name;
                    reports.Publish(step.Phase, step.Name);
                    return Task.CompletedTask;
                }, cancellationToken);
                break;
            }
            catch (ArtifactNotProvidedException e) when (!refreshed)
            {
                // The configuration may predate the operator's import: the coordinator's current one settles it; one that
                // still names no copy fails this attempt, and the next attempt (after the failure backoff) asks again.
                reports.Publish(Phase.Installing, "refresh", error: $"{e.Message}; asking the coordinator for a fresh role configuration");
                joined = await refresh.RefreshAsync(identity, joined, cancellationToken);
                CheckRoleConfigIsFor(identity, joined.RoleConfig);
                roleConfig = joined.RoleConfig;
                trigger.Following(roleConfig.ConfigHash);
            }
            catch (StepFailedException e) when (e.InnerException is ArtifactUnavailableException && !refreshed)
            {
                // The digest this configuration names may be one the coordinator no longer serves (the mirror moved on
                // since the join): the coordinator's current configuration, not a retry of the same file, settles it.
                var gone = roleConfig.Artifacts.ToList();
                reports.Publish(Phase.Installing, "refresh",
                    error: $"{e.InnerException.Message}; asking the coordinator for a fresh role configuration");
                joined = await refresh.RefreshAsync(identity, joined, cancellationToken);
                CheckRoleConfigIsFor(identity, joined.RoleConfig);
                roleConfig = joined.RoleConfig;
                trigger.Following(roleConfig.ConfigHash);
                if (SameArtifacts(gone, roleConfig.Artifacts))
                {
                    throw new ArtifactUnavailableException(
                        $"{e.InnerException.Message}. The coordinator's fresh role configuration names the same files: the " +
                        "cluster's artifact mirror no longer holds them; run 'kubes up' to mirror them again");
                }
            }
        }

        reports.Installed(roleConfig.ConfigHash);
        _step = "health";
        reports.Publish(Phase.Starting, _step);
        return (joined, await WaitUntilHealthyAsync(roleConfig, cancellationToken));
    }

    /// <summary>
    /// Reports the role's state once per call: its health (the one just found first, then checked anew), or that this
    /// agent has no installer for it.
    /// </summary>
    private Func<CancellationToken, Task> StateReporter(RoleConfig roleConfig, RoleHealth? installed, string instanceId, string credential)
    {
        if (installed is null)
        {
            return async cancellationToken =>
            {
                _step = "install";
                var notInstallable = $"this agent ({Version}) has no installer for the {roleConfig.Role} role yet (none of its " +
                                     "components): it joined and holds its certificates, and installs nothing";
                await certificates.RenewDueAsync(roleConfig, instanceId, credential,
                    (step, error) => reports.Publish(Phase.RoleNotInstallable, step, error: error ?? notInstallable), cancellationToken);
                reports.Publish(Phase.RoleNotInstallable, _step, error: notInstallable);
            };
        }

        var health = installed;
        var checkAgain = false;
        return async cancellationToken =>
        {
            if (checkAgain)
            {
                var standing = health;
                var renewed = await certificates.RenewDueAsync(roleConfig, instanceId, credential,
                    (step, error) => reports.Publish(standing.Role.Healthy ? Phase.Ready : Phase.Degraded, step, standing.Role, error,
                        standing.Components), cancellationToken);
                if (renewed.Count > 0 || installer.RenewalDue(roleConfig) <= time.GetUtcNow())
                {
                    // The start steps hash the files each service must be restarted for: those that do not reload renewed
                    // certificates by themselves are restarted here, the others (etcd) keep running. A component's own
                    // credential that is due (sshd's host certificate) is renewed by its step in the same pass.
                    await installer.InstallAsync(roleConfig, step =>
                    {
                        reports.Publish(step.Phase, step.Name);
                        return Task.CompletedTask;
                    }, cancellationToken);
                }

                health = await installer.CheckHealthAsync(roleConfig, cancellationToken);
            }

            checkAgain = true;
            _step = "health";
            reports.Publish(health.Role.Healthy ? Phase.Ready : Phase.Degraded, _step, health.Role, components: health.Components);
        };
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static void CheckRoleConfigIsFor(InstanceIdentity identity, RoleConfig roleConfig)
    {
        if (roleConfig.Role != identity.Role || roleConfig.Slot != identity.Slot)
        {
            throw new InvalidRoleConfigException(
                $"the coordinator gave role {roleConfig.Role} slot {roleConfig.Slot}, but this instance is {identity.Role} slot {identity.Slot}");
        }
    }

    private static bool SameArtifacts(IEnumerable<Artifact> before, IEnumerable<Artifact> after) =>
        before.Select(a => (a.Name, Sha256: a.Sha256.ToLowerInvariant())).Order()
            .SequenceEqual(after.Select(a => (a.Name, Sha256: a.Sha256.ToLowerInvariant())).Order());

    /// <summary>The first health that is good, or the last one once the readiness timeout has passed.</summary>
    private Task<RoleHealth> WaitUntilHealthyAsync(RoleConfig roleConfig, CancellationToken cancellationToken) =>
        Poll.UntilAsync(ct => new ValueTask<RoleHealth>(installer.CheckHealthAsync(roleConfig, ct)), health => health.Role.Healthy,
            new PollTiming(timing.ReadinessPoll, timing.ReadinessTimeout), time, cancellationToken);

    private async Task<InstanceIdentity> ReadIdentityAsync(CancellationToken cancellationToken)
    {
        var whileUnreachable = timing.Unreachable.RetryForever(
            e => e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested), time,
            notice =>
            {
                log.LogWarning("Instance metadata is not answering (attempt {Attempt}), retrying in {Delay}: {Reason}",
                    notice.Attempt, notice.Delay, notice.Exception.Message);
                return default;
            });
        return await whileUnreachable.ExecuteAsync(async ct => await identitySource.ReadAsync(ct), cancellationToken);
    }

    private async Task IdleAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
