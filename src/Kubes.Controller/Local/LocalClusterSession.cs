using System.Net;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.Session;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Local;

/// <summary>
/// A cluster on this machine: its state folder is its state store and its mirror (instances read it through file
/// URLs), its instances are found in the local registry, and its own <c>kubes serve</c> — started by <c>up</c>, stopped
/// by <c>destroy</c> — answers the agents over gRPC and serves the instances' metadata.
/// </summary>
public sealed class LocalClusterSession : IClusterSession
{
    /// <summary>How long a booting instance waits for the coordinator process to serve its metadata.</summary>
    private static readonly TimeSpan MetadataPatience = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly string? _specFile;
    private readonly LocalServeDaemon _daemon;

    /// <param name="specFile">The spec file the coordinator process reads; null for the embedded local default.</param>
    public LocalClusterSession(ClusterTopology topology, string? specFile)
    {
        Topology = topology;
        _specFile = specFile;
        StateFolder = Path.GetFullPath(topology.Spec.StateStore);
        Cloud = new LocalCloud(topology.Spec.Name, StateFolder);
        Store = new FolderStateStore(StateFolder);
        _daemon = new LocalServeDaemon(StateFolder);
        ArtifactUrls = new FolderArtifactUrls(StateFolder);
    }

    public IClusterProvider Provider => LocalProvider.Instance;
    public ClusterTopology Topology { get; }
    public IStateStore Store { get; }

    /// <summary>The cluster's state folder, absolute.</summary>
    public string StateFolder { get; }

    /// <summary>This machine as the cluster's cloud.</summary>
    public LocalCloud Cloud { get; }

    public string StateDescription => StateFolder;
    public string Where => "on this machine";

    public IReadOnlyList<DesiredResource> DesiredResources() => LocalClusterModel.Build(Topology);

    /// <summary>Launches wait until the coordinator process serves the new instance's metadata.</summary>
    public IReadOnlyList<IResourceHandler> Handlers(InstanceLaunches? launches) =>
        [Cloud.InstanceHandler(launches?.Bootstrap ?? NoLaunchBootstrap.Instance, new RemoteMetadataPublisher(_http, MetadataPatience))];

    /// <summary>Nothing here is eventually consistent: a failure is final.</summary>
    public FailureKind Classify(Exception error) => FailureKind.Permanent;

    public IInstanceDirectory Directory => Cloud.Directory;
    public IArtifactUrls ArtifactUrls { get; }

    public bool UsesHostPackages => true;

    public IPEndPoint DefaultCoordinatorListen => Provider.DefaultCoordinatorListen(Topology);

    /// <summary>The coordinator process comes first: a booting instance asks it for its metadata, then joins it over gRPC.</summary>
    public async Task<InstanceLaunches> PrepareLaunchesAsync(CoordinatorState state, CancellationToken cancellationToken)
    {
        var loaded = await state.GetAsync(cancellationToken);
        var listen = DefaultCoordinatorListen;
        var serving = await _daemon.EnsureRunningAsync(LocalServeDaemon.SpecArguments(_specFile), listen, cancellationToken);
        var bootstrap = new AgentBootstrap(Topology, state.Tokens, loaded.Agent, ArtifactUrls,
            CoordinatorEndpoint.For($"https://{listen}", loaded.Pki.Kubernetes.Certificate), mailbox: null,
            AgentBootstrap.DefaultTokenLifetime);
        return new InstanceLaunches(bootstrap, Image: "", serving);
    }

    /// <summary>This machine has no STS: every local instance has a slot and a join token.</summary>
    public CallerIdentityVerifier? CallerIdentity => null;

    /// <summary>The coordinator process answers them; its reports land in the state folder.</summary>
    public Task<IAgentStatusSource> AnswerAgentsAsync(CoordinatorState state, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        Task.FromResult<IAgentStatusSource>(new StoredAgentStatus(Store,
            $"answered by the coordinator process on {DefaultCoordinatorListen}", TimeSpan.FromMilliseconds(500)));

    public string InstanceServices => $"instance metadata on port {Cloud.MetadataPort}";

    /// <summary>Every local instance's IMDSv2 endpoint, kept in step with the registry that <c>up</c> writes.</summary>
    public async Task ServeInstancesAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        await using var metadata = new LocalMetadataService(loggers);
        await metadata.FollowAsync(Cloud.Registry, TimeSpan.FromMilliseconds(500), cancellationToken);
    }

    /// <summary>The coordinator process, then the state folder itself.</summary>
    public async Task RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        await _daemon.StopAsync(cancellationToken);
        if (System.IO.Directory.Exists(StateFolder)) System.IO.Directory.Delete(StateFolder, recursive: true);
    }

    public void Dispose() => _http.Dispose();
}
