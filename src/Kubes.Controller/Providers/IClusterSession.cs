using System.Net;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.Session;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Providers;

/// <summary>
/// One cluster at its provider, as one command works on it: the seam between the use cases (up, destroy, plan, serve,
/// status) and AWS or this machine. Everything the two differ in is asked of it — the resources the topology consists
/// of, the handlers that find and change them, where instances are looked up, how their downloads are addressed, how
/// they boot and reach the coordinator, and who answers them.
/// </summary>
public interface IClusterSession : IDisposable
{
    IClusterProvider Provider { get; }

    ClusterTopology Topology { get; }

    /// <summary>The cluster's state store: CAs, join tokens, the artifact mirror, the mailbox, the agents' status.</summary>
    IStateStore Store { get; }

    /// <summary>Where the state lives, for the operator: <c>s3://bucket/prefix</c> or a folder.</summary>
    string StateDescription { get; }

    /// <summary>Where the cluster runs, for the operator: <c>in us-east-1</c>, <c>on this machine</c>.</summary>
    string Where { get; }

    /// <summary>The resources the topology consists of at this provider, the state store's included where it is one.</summary>
    IReadOnlyList<DesiredResource> DesiredResources();

    /// <summary>A handler per resource type of <see cref="DesiredResources"/>; <paramref name="launches"/> is null when the run
    /// launches nothing (plan, destroy).</summary>
    IReadOnlyList<IResourceHandler> Handlers(InstanceLaunches? launches);

    /// <summary>Whether a failed change is worth retrying (a throttle, an eventual-consistency miss) or final.</summary>
    FailureKind Classify(Exception error);

    ClusterReconciler Reconciler(InstanceLaunches? launches) => new(Handlers(launches), Classify);

    /// <summary>Where the registrar looks an instance up: its state, address and tags, as the provider knows them.</summary>
    IInstanceDirectory Directory { get; }

    /// <summary>How an instance downloads a file of the cluster's mirror.</summary>
    IArtifactUrls ArtifactUrls { get; }

    /// <summary>Whether the catalogue entries that name a host package are taken from this machine's packages (the local
    /// provider, which has no internet); otherwise every artifact is an upstream release or an imported one.</summary>
    bool UsesHostPackages { get; }

    /// <summary>
    /// The cluster's Kubernetes API endpoint, as the provider holds it: the load balancer's DNS name on AWS (asked of the
    /// cloud: it exists once <c>kubes up</c> made it), HAProxy's address on the bridge for the local provider.
    /// </summary>
    /// <exception cref="Operations.Access.AccessException">The cluster has no API endpoint (yet).</exception>
    Task<ApiEndpoint> ApiEndpointAsync(CancellationToken cancellationToken);

    /// <summary><see cref="ApiEndpointAsync"/>, or null while the cluster has none (before <c>kubes up</c> made it).</summary>
    async Task<ApiEndpoint?> FindApiEndpointAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await ApiEndpointAsync(cancellationToken);
        }
        catch (Operations.Access.AccessException)
        {
            return null;
        }
    }

    /// <summary>Where <c>kubes serve</c> listens for the agents' gRPC when <c>--listen</c> does not say.</summary>
    IPEndPoint DefaultCoordinatorListen { get; }

    /// <summary>
    /// Readies what the instances a run launches need to boot and reach the coordinator, and says how they boot: their
    /// user-data, their image. The local provider starts the coordinator process they reach here.
    /// </summary>
    Task<InstanceLaunches> PrepareLaunchesAsync(CoordinatorState state, CancellationToken cancellationToken);

    /// <summary>Checks the STS proof nodes of an Auto Scaling group join with; null where the provider has no STS.</summary>
    CallerIdentityVerifier? CallerIdentity { get; }

    /// <summary>Has the agents answered while <c>kubes up</c> follows them, and reads their reports.</summary>
    Task<IAgentStatusSource> AnswerAgentsAsync(CoordinatorState state, ILoggerFactory loggers, CancellationToken cancellationToken);

    /// <summary>What a coordinator process serves the instances besides the registrar, for the operator; null for nothing.</summary>
    string? InstanceServices { get; }

    /// <summary>Serves <see cref="InstanceServices"/> until cancelled.</summary>
    Task ServeInstancesAsync(ILoggerFactory loggers, CancellationToken cancellationToken);

    /// <summary>After a destroy found and deleted every tagged resource: removes what the provider keeps beside them.</summary>
    Task RemoveLeftoversAsync(CancellationToken cancellationToken);
}
