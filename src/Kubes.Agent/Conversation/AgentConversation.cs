using System.Reflection;
using Kubes.Agent.Artifacts;
using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Identity;
using Kubes.Agent.Installers;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// The agent's one conversation: Join → Certify → install the role → Report, then the role's health
/// every interval, forever. Every phase change is reported. A refusal by the coordinator (or a RoleConfig
/// the agent must not act on) is reported Failed and not retried; any other failure is reported Failed
/// and the conversation starts again after a long backoff, resuming from what is already done.
/// </summary>
public sealed class AgentConversation(
    AgentConfig config,
    IInstanceIdentitySource identitySource,
    IRegistrarChannel channel,
    AgentStateStore state,
    CertificateEnrollment enrollment,
    RoleInstallers installers,
    StepRunner steps,
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
        for (var failures = 0; !stoppingToken.IsCancellationRequested; failures++)
        {
            try
            {
                await ConverseAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RegistrarRefusedException or InvalidRoleConfigException or AgentConfigException)
            {
                reports.Publish(Phase.Failed, _step,
                    error: $"{e.Message}. The agent will not retry: fix the cause, then replace this instance " +
                           "(its join token is single-use).");
                await IdleAsync(stoppingToken);
                return;
            }
            catch (Exception e)
            {
                var step = e is StepFailedException failed ? failed.Step : _step;
                var pause = timing.AfterFailure.Delay(failures);
                reports.Publish(Phase.Failed, step, error: $"{e.Message} (retrying in {pause.TotalSeconds:0}s)");
                try
                {
                    await Task.Delay(pause, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

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
        IRoleInstaller? installer;
        for (var refreshed = false; ; refreshed = true)
        {
            _step = "certify";
            reports.Publish(Phase.Certifying, _step);
            await enrollment.EnrollAsync(roleConfig, identity.InstanceId, joined.AgentCredential, channel, cancellationToken);

            installer = installers.For(roleConfig.Role);
            if (installer is null)
            {
                _step = "install";
                reports.Publish(Phase.RoleNotInstallable, _step,
                    error: $"this agent ({Version}) has no installer for the {roleConfig.Role} role yet: it joined and holds its " +
                           "certificates, and installs nothing");
                await IdleAsync(cancellationToken);
                return;
            }

            try
            {
                _step = "plan";
                reports.Publish(Phase.Installing, _step);
                await steps.RunAsync(installer.PlanSteps(roleConfig), step =>
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

        _step = "health";
        reports.Publish(Phase.Starting, _step);
        var health = await WaitUntilHealthyAsync(installer, roleConfig, cancellationToken);
        while (true)
        {
            reports.Publish(health.Healthy ? Phase.Ready : Phase.Degraded, _step, health);
            await Task.Delay(timing.HealthInterval, time, cancellationToken);
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

    private async Task<Health> WaitUntilHealthyAsync(IRoleInstaller installer, RoleConfig roleConfig, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timing.ReadinessTimeout;
        while (true)
        {
            var health = await installer.CheckHealthAsync(roleConfig, cancellationToken);
            if (health.Healthy || time.GetUtcNow() >= deadline)
            {
                return health;
            }

            await Task.Delay(timing.ReadinessPoll, time, cancellationToken);
        }
    }

    private async Task<InstanceIdentity> ReadIdentityAsync(CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                return await identitySource.ReadAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var pause = timing.Unreachable.Delay(failures);
                log.LogWarning("Instance metadata is not answering (attempt {Attempt}), retrying in {Delay}: {Reason}",
                    failures + 1, pause, e.Message);
                await Task.Delay(pause, time, cancellationToken);
            }
        }
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
