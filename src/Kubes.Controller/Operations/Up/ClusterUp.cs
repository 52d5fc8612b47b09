using Kubes.Controller.Artifacts;
using Kubes.Controller.Providers;
using Kubes.Controller.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Operations.Up;

/// <summary>
/// <c>kubes up</c>: ready what new instances need to boot and reach the coordinator, reconcile the cluster's resources
/// (instances launched with their user-data), then have the agents answered and follow their reports until the cluster
/// settles or the wait runs out. Running it again changes nothing and only waits.
/// </summary>
public sealed class ClusterUp(IClusterSession session, IUpProgress progress, ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public async Task<UpOutcome> RunAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var topology = session.Topology;
        using var http = HttpsArtifactSource.CreateClient();
        using var state = new CoordinatorState(topology, session.Store,
            ArtifactPinning.For(topology.Spec, session.Store, http, session.UsesHostPackages));
        var launches = await session.PrepareLaunchesAsync(state, cancellationToken);
        if (launches.Coordinator is { } coordinator) progress.CoordinatorReady(coordinator);

        progress.Applying(topology.Spec.Name, session.Where, session.StateDescription);
        var (plan, result) = await session.Reconciler(launches).ApplyAsync(session.DesiredResources(), progress, cancellationToken);
        progress.Applied(plan, result);
        if (!result.Succeeded) return new UpOutcome(result, []);

        await using var agents = await session.AnswerAgentsAsync(state, _loggers, cancellationToken);
        if (state.Current is { } loaded) progress.ArtifactsResolved(loaded.Artifacts.Lines.ToList());
        progress.FollowingAgents(agents.Description, wait);
        var slots = await new AgentWaiter(topology, agents.ReadAsync, progress, agents.PollInterval).WaitAsync(wait, cancellationToken);
        return new UpOutcome(result, slots);
    }
}
