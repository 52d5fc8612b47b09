using Kubes.Controller.Artifacts;
using Kubes.Controller.Components.Addons.Cni;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.DesiredState;
using Kubes.Controller.Operations.Kubeconfig;
using Kubes.Controller.Providers;
using Kubes.Controller.Registrar;
using Kubes.Controller.Session;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Operations.Up;

/// <summary>
/// <c>kubes up</c>: ready what new instances need to boot and reach the coordinator (recording the spec as the cluster's
/// newest desired state), reconcile the cluster's resources (instances launched with their user-data), have the agents
/// answered, roll the desired state across the members that run an earlier one, one at a time, then follow the agents'
/// reports until the cluster settles or the wait runs out. Running it again changes nothing and only waits; after an
/// interrupted roll it resumes the roll.
/// </summary>
public sealed class ClusterUp(IClusterSession session, IUpProgress progress, ILoggerFactory? loggers = null, TimeProvider? time = null)
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<UpOutcome> RunAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var topology = session.Topology;
        using var http = HttpsArtifactSource.CreateClient();
        using var state = new CoordinatorState(topology, session.Store,
            ArtifactPinning.For(topology.Spec, session.Store, http, session.UsesHostPackages), appliesSpec: true,
            apiEndpoint: session.FindApiEndpointAsync);
        var launches = await session.PrepareLaunchesAsync(state, cancellationToken);
        if (launches.Coordinator is { } coordinator) progress.CoordinatorReady(coordinator);

        progress.Applying(topology.Spec.Name, session.Where, session.StateDescription);
        var (plan, result) = await session.Reconciler(launches).ApplyAsync(session.DesiredResources(), progress, cancellationToken);
        progress.Applied(plan, result);
        if (!result.Succeeded) return new UpOutcome(result, []);

        await using var agents = await session.AnswerAgentsAsync(state, _loggers, cancellationToken);
        if (state.Current is { } loaded) progress.ArtifactsResolved(loaded.Artifacts.Lines.ToList());
        progress.FollowingAgents(agents.Description, wait);
        // Whoever answers the agents loaded the state, and with it recorded the desired state this run applies.
        RollOutcome? roll = null;
        if (state.Current is { Desired: { } desired } current)
        {
            roll = await new GenerationRoll(topology, state.Assignments, desired.Number, agents.ReadAsync,
                ExpectedHashes(topology, desired, current.Material), progress, agents.PollInterval, _time).RunAsync(wait, cancellationToken);
            if (roll.Stopped) return new UpOutcome(result, SlotStatus.For(topology, await agents.ReadAsync(cancellationToken)), roll);
            if (roll.Completed) await PruneAsync(state, cancellationToken);
        }

        var unprovided = state.Current is { } pinned ? UnprovidedArtifacts.Of(topology, pinned.Artifacts) : UnprovidedArtifacts.None;
        using var waited = new CancellationTokenSource();
        var granting = wait > TimeSpan.Zero ? GrantAddonManagersAsync(agents.PollInterval, waited.Token, cancellationToken) : null;
        var slots = await new AgentWaiter(topology, agents.ReadAsync, progress, agents.PollInterval, unprovided).WaitAsync(wait, cancellationToken);
        await waited.CancelAsync();
        // Said once the agents' lines are done, so the two never interleave.
        if (granting is not null) progress.AddonManagersGranted(await granting);
        if (state.Current is { } resolved && topology.Roles.Contains(InstanceRole.Controller))
        {
            var material = resolved.Material.Current;
            var endpoint = ApiEndpointUrl.Of(topology, material);
            progress.PodNetworkResolved(PodNetwork.Of(topology, material, endpoint.Host, endpoint.Port).Line);
        }
        return new UpOutcome(result, slots, roll, unprovided);
    }

    /// <summary>
    /// While the agents are followed, the add-on managers' binding is applied as soon as the API answers: a real apiserver
    /// refuses the controllers' add-ons until it exists, so it cannot wait for them to be Ready.
    /// </summary>
    private Task<string?> GrantAddonManagersAsync(TimeSpan interval, CancellationToken waited, CancellationToken cancellationToken)
    {
        AdminCredentials? admin = null;
        var issuer = new AdminCredentialIssuer(session, _time);
        return new AddonManagerGrant(async ct => admin ??= await issuer.IssueAsync(ct), interval, _time).RunAsync(waited, cancellationToken);
    }

    /// <summary>The config_hash a joined member runs on <paramref name="desired"/>: built as the registrar builds it, for
    /// the instance as the provider's directory knows it, with the cluster's material (what sshd and openvpn get besides
    /// the spec), as the registrar has it.</summary>
    private Func<AgentStatus, CancellationToken, Task<string?>> ExpectedHashes(ClusterTopology topology, SpecGeneration desired,
        ClusterMaterialSource material)
    {
        var verifier = new InstanceVerifier(topology, session.Directory);
        var configs = new GenerationRoleConfigs(session.ArtifactUrls, () => material.Current);
        // The roll asks at every poll (the material moves); the provider is asked about each instance once.
        var verified = new Dictionary<(string InstanceId, int Slot), VerifiedInstance>();
        return async (status, cancellationToken) =>
        {
            if (!ProtoRoles.TryFromProto(status.Role, out var role)) return null;
            try
            {
                if (!verified.TryGetValue((status.InstanceId, status.Slot), out var instance))
                    verified[(status.InstanceId, status.Slot)] = instance =
                        await verifier.VerifyAsync(status.InstanceId, role, status.Slot, peer: null, cancellationToken);
                return configs.HashFor(desired, instance);
            }
            catch (RegistrationRefusedException)
            {
                return null; // replaced, stopped or gone: whatever joins the slot next joins on the assigned generation
            }
        };
    }

    /// <summary>Every slot runs the newest generation: the earlier ones nobody is assigned any more go.</summary>
    private static Task PruneAsync(CoordinatorState state, CancellationToken cancellationToken) =>
        state.Generations.PruneAsync(async ct => (await state.Assignments.AllAsync(ct)).Values.ToHashSet(), cancellationToken);
}
