using System.Runtime.Versioning;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Aws.Handlers;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>
/// A small local cluster (one etcd, one node unless told otherwise) in a temp state folder: its network prepared, its
/// metadata served in-process on the bridge, reconciled by the same <see cref="ClusterReconciler"/> as AWS. Disposing
/// stops whatever is left and removes the network.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LocalClusterHarness : IAsyncDisposable
{
    private readonly TempFolder _state;

    private LocalClusterHarness(ClusterSpec spec, TempFolder state, IInstanceBootstrap bootstrap, LocalCloud cloud,
        LocalMetadataService metadata)
    {
        Spec = spec;
        Topology = ClusterTopology.From(spec);
        _state = state;
        Bootstrap = bootstrap;
        Provider = cloud;
        Metadata = metadata;
        Desired = LocalClusterModel.Build(Topology);
    }

    public ClusterSpec Spec { get; }
    public ClusterTopology Topology { get; }
    public LocalCloud Provider { get; }
    public LocalMetadataService Metadata { get; }
    public IInstanceBootstrap Bootstrap { get; }
    public IReadOnlyList<DesiredResource> Desired { get; }
    public string StateFolder => _state.Path;

    /// <summary>
    /// The cluster's VPC is its name's default; if this machine already routes it (another worktree's cluster, say), a
    /// random other 10.N.0.0/16, so tests running side by side do not fail on each other.
    /// </summary>
    public static async Task<LocalClusterHarness> StartAsync(Func<InstanceSlot, string> userData, int etcd = 1, int nodes = 1,
        string? name = null, IInstanceBootstrap? bootstrap = null, int controllers = 0)
    {
        var local = ClusterSpecDefaults.Local(name ?? NewName());
        var spec = local with
        {
            Bastion = local.Bastion with { Count = 0 },
            Etcd = local.Etcd with { Count = etcd },
            Controllers = local.Controllers with { Count = controllers },
            Nodes = local.Nodes with { Count = nodes },
        };
        for (var attempt = 0; ; attempt++)
        {
            var state = new TempFolder();
            var cloud = new LocalCloud(ClusterTopology.From(spec), state.Path) { StopGrace = TimeSpan.FromSeconds(5) };
            try
            {
                await cloud.PrepareNetworkAsync(CancellationToken.None);
                var metadata = await LocalMetadataService.StartAsync(cloud.Endpoints.Metadata, cloud.Registry);
                return new LocalClusterHarness(spec, state, bootstrap ?? new ScriptBootstrap(userData), cloud, metadata);
            }
            catch (LocalNetworkConflictException) when (attempt < 5)
            {
                state.Dispose();
                spec = spec with { Network = spec.Network with { VpcCidr = $"10.{Random.Shared.Next(33, 200)}.0.0/16" } };
            }
            catch
            {
                await cloud.Network.DeleteAsync(CancellationToken.None);
                state.Dispose();
                throw;
            }
        }
    }

    public ClusterReconciler Reconciler() => new(Provider.Handlers(Bootstrap), _ => FailureKind.Permanent);

    public async Task<ApplyResult> UpAsync()
    {
        var (_, result) = await Reconciler().ApplyAsync(Desired, new RecordingProgress(), CancellationToken.None);
        return result;
    }

    public async Task<ApplyResult> DestroyAsync()
    {
        var (_, result) = await Reconciler().DestroyAsync(new RecordingProgress(), CancellationToken.None);
        return result;
    }

    public async Task<Plan> PlanAsync() => (await Reconciler().PlanAsync(Desired, CancellationToken.None)).Plan;

    /// <summary>The live (not terminated) instance of a slot.</summary>
    public async Task<LocalInstance> InstanceAsync(string slot) =>
        Assert.Single(await Provider.Registry.ListAsync(), i => i.Slot == slot && i.State != LocalInstanceState.Terminated);

    /// <summary>Whatever this machine still has of the cluster's network.</summary>
    public Task<IReadOnlyList<string>> NetworkTracesAsync() => NetworkTraces.OfAsync(Spec.Name, StateFolder, Topology.VpcCidr);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in await Provider.Registry.ListAsync())
            await LocalProcessTrees.StopAsync(instance.InstanceId, instance.Session, TimeSpan.FromSeconds(2), CancellationToken.None);
        await Provider.ApiLoadBalancer.RemoveAsync(CancellationToken.None);
        await Metadata.DisposeAsync();
        await Provider.Network.DeleteAsync(CancellationToken.None);
        _state.Dispose();
    }

    /// <summary>A cluster name of its own, hence (most likely) a 10.N.0.0/16 of its own.</summary>
    public static string NewName() => $"t{Guid.NewGuid():N}"[..12];

    public static string Describe(ApplyResult result) =>
        string.Join("\n", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}"));
}
