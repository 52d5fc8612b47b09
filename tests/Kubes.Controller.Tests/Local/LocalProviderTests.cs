using System.Net;
using Kubes.Controller.Local;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Local;

/// <summary>The local provider through the seam: what it knows offline, and a cluster opened with it.</summary>
public sealed class LocalProviderTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ClusterSpec _spec;

    public LocalProviderTests() => _spec = ClusterSpecDefaults.Local("seam") with { StateStore = Path.Join(_folder.Path, "state") };

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Up_changes_only_this_machine_needs_no_consent_and_nothing_stands_in_its_way()
    {
        Assert.False(LocalProvider.Instance.UpNeedsConsent);
        Assert.Null(LocalProvider.Instance.RefusalBeforeUp());
    }

    [Fact]
    public async Task Opening_a_cluster_writes_nothing_and_its_model_is_the_offline_one()
    {
        using var session = await ClusterProviders.OpenAsync(_spec, null, CancellationToken.None);

        // The state store is the folder itself: at most it is there, empty.
        Assert.Empty(Directory.Exists(_spec.StateStore) ? Directory.EnumerateFileSystemEntries(_spec.StateStore) : []);
        Assert.Equal(LocalProvider.Instance.OfflineResources(session.Topology), session.DesiredResources());
        Assert.Equal(Path.GetFullPath(_spec.StateStore), session.StateDescription);
        Assert.Equal("on this machine", session.Where);
        Assert.Null(session.CallerIdentity);
    }

    [Fact]
    public async Task The_coordinator_listens_on_the_vpcs_first_address_where_its_instances_reach_it()
    {
        using var session = await ClusterProviders.OpenAsync(_spec, null, CancellationToken.None);

        Assert.Equal(new IPEndPoint(session.Topology.VpcCidr.AddressAt(1), 7443), session.DefaultCoordinatorListen);
    }

    [Fact]
    public async Task Every_resource_of_the_model_has_its_handler_and_a_failure_is_final()
    {
        using var session = await ClusterProviders.OpenAsync(_spec, null, CancellationToken.None);

        var handled = session.Handlers(launches: null).Select(h => h.Type).ToHashSet();
        Assert.All(session.DesiredResources(), resource => Assert.Contains(resource.Key.Type, handled));
        Assert.Equal(Kubes.Controller.Reconciler.FailureKind.Permanent, session.Classify(new TimeoutException()));
    }

    [Fact]
    public async Task Instances_download_the_mirror_from_the_state_folder_and_the_coordinator_serves_their_metadata()
    {
        using var session = await ClusterProviders.OpenAsync(_spec, null, CancellationToken.None);

        var url = session.ArtifactUrls.UrlOf(new Kubes.Controller.Artifacts.MirroredArtifact("etcd", "3.4.23", "artifacts/abc/etcd.tar.gz", "abc"));
        Assert.Equal(new Uri(Path.Join(Path.GetFullPath(_spec.StateStore), "artifacts/abc/etcd.tar.gz")).AbsoluteUri, url);
        Assert.Equal($"instance metadata on {session.Topology.Reserved.Router}:{LocalMetadataService.DefaultPort}", session.InstanceServices);
    }

    [Fact]
    public async Task Removing_the_leftovers_of_a_destroyed_cluster_removes_its_state_folder()
    {
        Directory.CreateDirectory(Path.Join(_spec.StateStore, "pki"));
        using var session = await ClusterProviders.OpenAsync(_spec, null, CancellationToken.None);

        await session.RemoveLeftoversAsync(CancellationToken.None);

        // The state store is the folder itself: at most it is there, empty.
        Assert.Empty(Directory.Exists(_spec.StateStore) ? Directory.EnumerateFileSystemEntries(_spec.StateStore) : []);
    }

    [Fact]
    public void The_offline_model_is_the_network_then_the_api_endpoint_and_one_instance_per_slot_in_it()
    {
        var topology = ClusterTopology.From(_spec);
        var resources = LocalProvider.Instance.OfflineResources(topology);

        Assert.Equal(["local-network/main", "local-load-balancer/api", .. topology.Slots.Select(s => $"local-instance/{s.Name}")],
            resources.Select(r => r.Key.ToString()));
        Assert.All(resources.Skip(1), instance => Assert.Equal([LocalClusterModel.Network], instance.DependsOn));
        var vpc = topology.VpcCidr;
        Assert.Equal(
        [
            new("vpc", vpc.ToString()),
            new("bridge", Kubes.Controller.Local.Namespaces.NamespaceNetwork.BridgeOf("seam", _spec.StateStore)),
            new("coordinator", $"{vpc.AddressAt(1)}:7443"),
            new("metadata", $"{vpc.AddressAt(1)}:{LocalMetadataService.DefaultPort}"),
            new("apiEndpoint", $"{vpc.AddressAt(3)}:6443"),
        ], resources[0].Describe());
    }

    [Fact]
    public void The_clusters_own_endpoints_sit_on_the_vpcs_reserved_addresses_which_no_slot_takes()
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.Local());
        var endpoints = LocalEndpoints.Of(topology);

        Assert.Equal(IPEndPoint.Parse("10.226.0.1:7443"), endpoints.Coordinator);
        Assert.Equal(IPEndPoint.Parse($"10.226.0.1:{LocalMetadataService.DefaultPort}"), endpoints.Metadata);
        Assert.Equal(IPEndPoint.Parse("10.226.0.3:6443"), endpoints.ApiServer);
        Assert.Equal([IPAddress.Parse("10.226.0.1"), IPAddress.Parse("10.226.0.3")], endpoints.BridgeAddresses);
        Assert.Equal(new Uri("http://10.226.0.1:16925/"), endpoints.MetadataUrl);
        Assert.DoesNotContain(topology.Slots, slot => endpoints.BridgeAddresses.Contains(slot.PrivateIp));
    }
}
