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
/// The agent's one conversation: Join → Certify → install the role → Report, then the role's health
/// every interval and each certificate's renewal when it is due, forever. Every phase change is reported. A refusal by the coordinator (or a RoleConfig
/// the agent must not act on) is reported Failed and not retried; any other failure is reported Failed
/// and the conversation starts again after a long backoff, resuming from what is already done.
/// </summary>
public sealed class AgentConversation(
    AgentConfig config,
    IInstanceIdentitySource identitySource,
    IRegistrarChannel channel,
    AgentStateStore state,
    CertificateRenewal certificates,
    RoleInstaller installer,
    RoleConfigRefresh refresh,
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
        var afterFailure = timing.AfterFailure.RetryForever(
            e => !IsPermanent(e) && !(e is OperationCanceledException && stoppingToken.IsCancellationRequested), time, notice =>
        {
            var step = notice.Exception is StepFailedException failed ? failed.Step : _step;
            reports.Publish(Phase.Failed, step, error: $"{notice.Exception.Message} (retrying in {notice.Delay.TotalSeconds:0}s)");
            return default;
        });
        try
        {
            await afterFailure.ExecuteAsync(async ct => await ConverseAsync(ct), stoppingToken);
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
        var roleConfig = joined.RoleConfig!;
        for (var refreshed = false; ; refreshed = true)
        {
            _step = "certify";
            reports.Publish(Phase.Certifying, _step);
            await certificates.EnrollAsync(roleConfig, identity.InstanceId, joined.AgentCredential, cancellationToken);

            if (!installer.CanInstall(roleConfig.Role))
            {
                _step = "install";
                var notInstallable = $"this agent ({Version}) has no installer for the {roleConfig.Role} role yet (none of its " +
                                     "components): it joined and holds its certificates, and installs nothing";
                reports.Publish(Phase.RoleNotInstallable, _step, error: notInstallable);
                while (true)
                {
                    await certificates.WaitAsync(cancellationToken);
                    await certificates.RenewDueAsync(roleConfig, identity.InstanceId, joined.AgentCredential,
                        (step, error) => reports.Publish(Phase.RoleNotInstallable, step, error: error ?? notInstallable), cancellationToken);
                }
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
        var health = await WaitUntilHealthyAsync(roleConfig, cancellationToken);
        while (true)
        {
            reports.Publish(health.Role.Healthy ? Phase.Ready : Phase.Degraded, _step, health.Role, components: health.Components);
            await certificates.WaitAsync(cancellationToken);
            var standing = health;
            var renewed = await certificates.RenewDueAsync(roleConfig, identity.InstanceId, joined.AgentCredential,
                (step, error) => reports.Publish(standing.Role.Healthy ? Phase.Ready : Phase.Degraded, step, standing.Role, error,
                    standing.Components), cancellationToken);
            if (renewed.Count > 0)
            {
                // The start steps hash the files each service must be restarted for: those that do not reload renewed
                // certificates by themselves are restarted here, the others (etcd) keep running.
                await installer.InstallAsync(roleConfig, step =>
                {
                    reports.Publish(step.Phase, step.Name);
                    return Task.CompletedTask;
                }, cancellationToken);
            }

            _step = "health";
            health = await installer.CheckHealthAsync(roleConfig, cancellationToken);
        }
    }

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
