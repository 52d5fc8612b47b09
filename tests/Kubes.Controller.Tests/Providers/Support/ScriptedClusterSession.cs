using System.Net;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Local;
using Kubes.Controller.Providers;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Registrar;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.Session;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Reconciler;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Topology;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Tests.Providers.Support;

/// <summary>
/// A provider held in memory, for the use cases: one resource type whose changes a <see cref="ScriptedHandler"/> makes,
/// a state folder, and a log of every call the use case makes across the seam, in order.
/// </summary>
internal sealed class ScriptedClusterSession(string stateFolder) : IClusterSession
{
    public static readonly ResourceKey Thing = new("thing", "a");

    public List<string> Log { get; } = [];
    public ScriptedHandler Things { get; private set; } = null!;

    /// <summary>Resources the handler reports as existing (destroy deletes them).</summary>
    public bool ThingExists { get; init; }

    /// <summary>Every change to <see cref="Thing"/> fails for good.</summary>
    public bool ThingFails { get; init; }

    /// <summary>Loads the coordinator's state before the launches, as the local provider does to start its coordinator.</summary>
    public bool LoadsStateFirst { get; init; }

    public IClusterProvider Provider => LocalProvider.Instance;
    public ClusterTopology Topology { get; init; } = ClusterTopology.From(ClusterSpecDefaults.Local("seam") with { StateStore = stateFolder });
    public IStateStore Store { get; } = new FolderStateStore(stateFolder);
    public string StateDescription => stateFolder;
    public string Where => "in a test";
    public IInstanceDirectory Directory { get; } = new InMemoryInstanceDirectory();
    public IArtifactUrls ArtifactUrls { get; } = new FolderArtifactUrls(stateFolder);
    public IPEndPoint DefaultCoordinatorListen { get; } = new(IPAddress.Loopback, 0);

    public Task<ApiEndpoint> ApiEndpointAsync(CancellationToken cancellationToken) => Task.FromResult(new ApiEndpoint("127.0.0.1", 6443));
    public CallerIdentityVerifier? CallerIdentity => null;
    public string InstanceServices => "scripted instance services";

    public IReadOnlyList<DesiredResource> DesiredResources() => [new ScriptedResource(Thing)];

    public IReadOnlyList<IResourceHandler> Handlers(InstanceLaunches? launches)
    {
        Record(launches is null ? "handlers without launches" : $"handlers launching {launches.Image}");
        Things = new ScriptedHandler(Thing.Type, 0, Log);
        if (ThingFails) Things.Failing(Thing, _ => new InvalidOperationException("scripted failure"));
        return [ThingExists ? new ExistingThings(Things) : Things];
    }

    public FailureKind Classify(Exception error) => FailureKind.Permanent;

    public bool UsesHostPackages => false;

    public async Task<InstanceLaunches> PrepareLaunchesAsync(CoordinatorState state, CancellationToken cancellationToken)
    {
        Record(LoadsStateFirst
            ? $"prepare launches on desired generation {(await state.GetAsync(cancellationToken)).Desired?.Number}"
            : "prepare launches");
        return new InstanceLaunches(NoLaunchBootstrap.Instance, "scripted-image", "scripted coordinator");
    }

    public Task<IAgentStatusSource> AnswerAgentsAsync(CoordinatorState state, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Record("answer agents");
        return Task.FromResult<IAgentStatusSource>(new StoredAgentStatus(Store, "answered by the script", TimeSpan.FromMilliseconds(10)));
    }

    public async Task ServeInstancesAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        Record("serve instances");
        await Task.Delay(Timeout.Infinite, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public Task RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        Record("remove leftovers");
        return Task.CompletedTask;
    }

    public void Dispose()
    {
    }

    private void Record(string entry)
    {
        lock (Log) Log.Add(entry);
    }

    /// <summary>The scripted handler, with <see cref="Thing"/> found as existing.</summary>
    private sealed class ExistingThings(ScriptedHandler inner) : IResourceHandler
    {
        public string Type => inner.Type;
        public int DeleteOrder => inner.DeleteOrder;

        public Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ActualResource>>([new ActualResource(Thing, "id-a", "a")]);

        public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids) =>
            inner.Diff(desired, actual, ids);

        public Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken cancellationToken) =>
            inner.CreateAsync(desired, ids, cancellationToken);

        public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
            CancellationToken cancellationToken) => inner.UpdateAsync(desired, actual, changes, ids, cancellationToken);

        public Task DeleteAsync(ActualResource actual, CancellationToken cancellationToken) => inner.DeleteAsync(actual, cancellationToken);
    }
}
