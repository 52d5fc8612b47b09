using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Kubes.Agent.Channels;
using Kubes.Protos.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// Logs every report and sends them to the coordinator in order, in the background, so an unreachable
/// coordinator never holds up the install. Reports made before Join (which gives the credential they
/// need) wait and go first once it has. If the coordinator stays away long, the oldest are dropped.
/// Each answer's desired config_hash goes to the <see cref="ResyncTrigger"/>.
/// </summary>
public sealed class ReportPublisher(IRegistrarChannel channel, ResyncTrigger trigger, TimeProvider time, ILogger<ReportPublisher> log)
    : BackgroundService
{
    private const int Capacity = 64;

    private readonly Channel<AgentReport> _queue = Channel.CreateBounded<AgentReport>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly TaskCompletionSource<(string InstanceId, string Credential)> _sender =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The last report made, sent or not.</summary>
    public AgentReport? Last { get; private set; }

    /// <summary>The config_hash of the role configuration installed (or, for a role this agent cannot install, taken with its
    /// certificates), carried by every report from then on.</summary>
    public string InstalledConfigHash { get; private set; } = "";

    public void Activate(string instanceId, string credential) => _sender.TrySetResult((instanceId, credential));

    public void Installed(string configHash) => InstalledConfigHash = configHash;

    /// <param name="components">Each component's health, with <paramref name="health"/> the role's as a whole.</param>
    public void Publish(Phase phase, string step, Health? health = null, string? error = null,
        IReadOnlyList<ComponentHealth>? components = null)
    {
        var report = new AgentReport
        {
            Phase = phase,
            Step = step,
            Health = health,
            Error = error ?? "",
            At = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
            ConfigHash = InstalledConfigHash,
            Components = { components ?? [] },
        };
        Last = report;
        if (error is not null && phase == Phase.RoleNotInstallable)
        {
            log.LogInformation("Phase {Phase}, step {Step}: {Reason}", phase, step, error);
        }
        else if (error is not null)
        {
            log.LogError("Phase {Phase}, step {Step}: {Error}", phase, step, error);
        }
        else if (health is not null)
        {
            log.LogInformation("Phase {Phase}, step {Step}, healthy {Healthy}: {Detail}", phase, step, health.Healthy, health.Detail);
        }
        else
        {
            log.LogInformation("Phase {Phase}, step {Step}", phase, step);
        }

        _queue.Writer.TryWrite(report);
    }

    /// <summary>Sends the last report again, stamped now and not logged again: its answer carries what the coordinator
    /// wants while nothing else is reported (an agent waiting out a failure).</summary>
    public void Repeat()
    {
        if (Last is not { } last) return;
        var again = last.Clone();
        again.At = Timestamp.FromDateTimeOffset(time.GetUtcNow());
        _queue.Writer.TryWrite(again);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (instanceId, credential) = await _sender.Task.WaitAsync(stoppingToken);
        await foreach (var report in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                var answer = await channel.ReportAsync(new ReportRequest
                {
                    InstanceId = instanceId,
                    AgentCredential = credential,
                    Report = report,
                }, stoppingToken);
                trigger.Heard(answer.DesiredConfigHash);
            }
            catch (RegistrarRefusedException e)
            {
                log.LogError("The coordinator refused the {Phase} report: {Reason}", report.Phase, e.Message);
            }
        }
    }
}
