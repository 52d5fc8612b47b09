using System.Runtime.Versioning;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Local;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Aws.Handlers;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>
/// A small local cluster (one etcd, one node unless told otherwise) in a temp state folder, its metadata served
/// in-process, reconciled by the same <see cref="ClusterReconciler"/> as AWS. Disposing stops whatever is left.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class LocalClusterHarness : IAsyncDisposable
{
    private readonly TempFolder _state = new();

    public LocalClusterHarness(Func<InstanceSlot, string> userData, int etcd = 1, int nodes = 1,
        Func<LocalCloud, ILocalMetadataPublisher>? publisher = null, string? name = null)
    {
        var local = ClusterSpecDefaults.Local(name ?? NewName());
        Spec = local with
        {
            Bastion = local.Bastion with { Count = 0 },
            Etcd = local.Etcd with { Count = etcd },
            Controllers = local.Controllers with { Count = 0 },
            Nodes = local.Nodes with { Count = nodes },
        };
        Topology = ClusterTopology.From(Spec);
        var port = LoopbackAddresses.FreePortOn([.. Topology.Slots.Select(s => s.PrivateIp!)]);
        Provider = new LocalCloud(Spec.Name, _state.Path, port) { StopGrace = TimeSpan.FromSeconds(5) };
        Bootstrap = new ScriptBootstrap(userData);
        Publisher = publisher?.Invoke(Provider) ?? Metadata;
        Desired = LocalClusterModel.Build(Topology);
    }

    public ClusterSpec Spec { get; }
    public ClusterTopology Topology { get; }
    public LocalCloud Provider { get; }
    public LocalMetadataService Metadata { get; } = new();
    public IInstanceBootstrap Bootstrap { get; }
    public ILocalMetadataPublisher Publisher { get; }
    public IReadOnlyList<DesiredResource> Desired { get; }
    public string StateFolder => _state.Path;

    public ClusterReconciler Reconciler() => new([Provider.InstanceHandler(Bootstrap, Publisher)], _ => FailureKind.Permanent);

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

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in await Provider.Registry.ListAsync())
            await LocalProcessTrees.StopAsync(instance.InstanceId, instance.Session, TimeSpan.FromSeconds(2), CancellationToken.None);
        await Metadata.DisposeAsync();
        _state.Dispose();
    }

    /// <summary>A cluster name of its own, hence (most likely) a 127.N.0.0/16 of its own.</summary>
    public static string NewName() => $"t{Guid.NewGuid():N}"[..12];

    public static string Describe(ApplyResult result) =>
        string.Join("\n", result.Failed.Concat(result.Skipped).Select(f => $"{f.Change.Key}: {f.Reason}"));
}
