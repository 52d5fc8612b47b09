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
/// A cluster on this machine: its VPC is a bridge with a network namespace per instance, its state folder is its state
/// store and its mirror (instances read it through file URLs), its instances are found in the local registry, and its
/// own <c>kubes serve</c> — started by <c>up</c>, stopped by <c>destroy</c> — answers the agents over gRPC and serves
/// the instances' metadata, on the bridge.
/// </summary>
public sealed class LocalClusterSession : IClusterSession
{
    private readonly string? _specFile;
    private readonly LocalServeDaemon _daemon;

    /// <param name="specFile">The spec file the coordinator process reads; null for the embedded local default.</param>
    public LocalClusterSession(ClusterTopology topology, string? specFile)
    {
        Topology = topology;
        _specFile = specFile;
        StateFolder = Path.GetFullPath(topology.Spec.StateStore);
        Cloud = new LocalCloud(topology, StateFolder);
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

    public IReadOnlyList<IResourceHandler> Handlers(InstanceLaunches? launches) =>
        Cloud.Handlers(launches?.Bootstrap ?? NoLaunchBootstrap.Instance);

    /// <summary>Nothing here is eventually consistent: a failure is final.</summary>
    public FailureKind Classify(Exception error) => FailureKind.Permanent;

    public IInstanceDirectory Directory => Cloud.Directory;
    public IArtifactUrls ArtifactUrls { get; }

    public bool UsesHostPackages => true;

    public IPEndPoint DefaultCoordinatorListen => Provider.DefaultCoordinatorListen(Topology);

    /// <summary>HAProxy on the bridge (VPC .3), fixed by the topology.</summary>
    public Task<ApiEndpoint> ApiEndpointAsync(CancellationToken cancellationToken) =>
        Task.FromResult(LocalEndpoints.Of(Topology).Api);

    /// <summary>
    /// The network first (refused, with nothing changed, when this machine already routes into the VPC), with what a
    /// crashed run left removed; then the coordinator process on the bridge: a booting instance asks it for its metadata,
    /// then joins it over gRPC.
    /// </summary>
    public async Task<InstanceLaunches> PrepareLaunchesAsync(CoordinatorState state, CancellationToken cancellationToken)
    {
        var removed = await Cloud.PrepareNetworkAsync(cancellationToken);
        var loaded = await state.GetAsync(cancellationToken);
        var endpoints = Cloud.Endpoints;
        var serving = await _daemon.EnsureRunningAsync(LocalServeDaemon.SpecArguments(_specFile), endpoints.Coordinator,
            endpoints.Metadata, cancellationToken);
        var bootstrap = new AgentBootstrap(Topology, state.Tokens, loaded.Agent, ArtifactUrls,
            CoordinatorEndpoint.For($"https://{endpoints.Coordinator}", loaded.Pki.Kubernetes.Certificate), mailbox: null,
            AgentBootstrap.DefaultTokenLifetime);
        var network = $"Network {Cloud.Bridge} ({Topology.VpcCidr}) ready" +
                      (removed.Count > 0 ? $"; removed what a crashed run left: {string.Join(", ", removed)}" : "") + ".";
        return new InstanceLaunches(bootstrap, Image: "", $"{network}\n{serving}");
    }

    /// <summary>This machine has no STS: every local instance has a slot and a join token.</summary>
    public CallerIdentityVerifier? CallerIdentity => null;

    /// <summary>The coordinator process answers them; its reports land in the state folder.</summary>
    public Task<IAgentStatusSource> AnswerAgentsAsync(CoordinatorState state, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        Task.FromResult<IAgentStatusSource>(new StoredAgentStatus(Store,
            $"answered by the coordinator process on {DefaultCoordinatorListen}", TimeSpan.FromMilliseconds(500)));

    public string InstanceServices => $"instance metadata on {Cloud.Endpoints.Metadata}";

    /// <summary>Every local instance's IMDSv2, on the bridge, answering each by its source address as the registry says.</summary>
    public async Task ServeInstancesAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!(await Cloud.Network.ReadAsync(cancellationToken)).BridgeExists)
            throw new LocalProviderException(
                $"The network of cluster {Topology.Spec.Name} (bridge {Cloud.Bridge}, VPC {Topology.VpcCidr}) is not on this " +
                $"machine, so its instances' metadata cannot be served on {Cloud.Endpoints.Metadata}: 'kubes up' makes it " +
                "(and starts the cluster's coordinator itself).");
        await using var metadata = await LocalMetadataService.StartAsync(Cloud.Endpoints.Metadata, Cloud.Registry, loggers,
            cancellationToken: cancellationToken);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The coordinator process, then the state folder itself (the network went with the resources).</summary>
    public async Task RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        await _daemon.StopAsync(cancellationToken);
        if (System.IO.Directory.Exists(StateFolder)) System.IO.Directory.Delete(StateFolder, recursive: true);
    }

    /// <summary>Nothing to release: what a session starts (the network, the coordinator process, the instances) outlives it.</summary>
    public void Dispose()
    {
    }
}
