using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Local;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Local.Namespaces;

/// <summary>A cluster's VPC on this machine: the bridge, a namespace per instance, host routes, and what is refused.</summary>
[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class NamespaceNetworkTests : IAsyncLifetime
{
    private readonly string _cluster = LocalClusterHarness.NewName();
    private readonly TempFolder _state = new();
    private readonly Cidr _vpc = Cidr.Parse($"10.{Random.Shared.Next(33, 200)}.0.0/16");
    private readonly List<NamespaceNetwork> _made = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var network in _made) await network.DeleteAsync(CancellationToken.None);
        _state.Dispose();
    }

    private NamespaceNetwork Network(string? cluster = null)
    {
        var network = new NamespaceNetwork(cluster ?? _cluster, _state.Path, _vpc, [_vpc.AddressAt(1), _vpc.AddressAt(3)]);
        _made.Add(network);
        return network;
    }

    [Fact]
    public async Task Ensuring_makes_the_bridge_with_its_addresses_and_again_changes_nothing_and_delete_leaves_no_trace()
    {
        var network = Network();

        await network.EnsureAsync(CancellationToken.None);
        var made = await network.ReadAsync(CancellationToken.None);
        var mac = await NetworkTraces.MacOfAsync(network.Bridge);
        await network.EnsureAsync(CancellationToken.None);

        Assert.Equal(made, await network.ReadAsync(CancellationToken.None), new NetworkStateComparer());
        Assert.True(made is { BridgeExists: true, IsUp: true, Namespaces.Count: 0 });
        Assert.Equal([_vpc.AddressAt(1), _vpc.AddressAt(3)], made.BridgeAddresses);
        Assert.Equal(mac, await NetworkTraces.MacOfAsync(network.Bridge));
        Assert.Matches("^kubes-br-[0-9a-f]{6}$", network.Bridge);

        await network.AddAsync("i-0123456789abcdef0", _vpc.AddressAt(10), CancellationToken.None);
        Assert.Equal(mac, await NetworkTraces.MacOfAsync(network.Bridge));
        await network.DeleteAsync(CancellationToken.None);

        Assert.Empty(await NetworkTraces.OfAsync(_cluster, _state.Path, _vpc));
        Assert.False((await network.ReadAsync(CancellationToken.None)).Exists);
    }

    [Fact]
    public async Task A_vpc_a_running_local_clusters_bridge_holds_is_refused_before_anything_is_made()
    {
        var first = Network();
        await first.EnsureAsync(CancellationToken.None);
        using var running = await LiveInstance.StartAsync(first, "i-00000000000000001", _vpc.AddressAt(10));
        var second = Network(LocalClusterHarness.NewName());

        var refused = await Assert.ThrowsAsync<LocalNetworkConflictException>(() => second.EnsureAsync(CancellationToken.None));

        Assert.Contains($"(dev {first.Bridge}, the bridge of another local cluster)", refused.Message);
        Assert.Contains($"overlaps VPC {_vpc}", refused.Message);
        Assert.Contains("set spec.network.vpcCidr", refused.Message);
        Assert.False((await second.ReadAsync(CancellationToken.None)).Exists);
        Assert.True((await first.ReadAsync(CancellationToken.None)).BridgeExists);
        Assert.False(running.HasExited);
    }

    [Fact]
    public async Task A_bridge_in_the_vpc_whose_namespaces_run_nothing_is_reclaimed_and_named()
    {
        var left = Network();
        await left.EnsureAsync(CancellationToken.None);
        await left.AddAsync("i-00000000000000001", _vpc.AddressAt(10), CancellationToken.None);
        var second = Network(LocalClusterHarness.NewName());

        var reclaimed = await second.EnsureAsync(CancellationToken.None);

        Assert.Equal(
            [$"abandoned network {left.Bridge} (cluster {_cluster}, state folder {_state.Path}: nothing ran in its 1 namespace(s))"],
            reclaimed);
        Assert.False((await left.ReadAsync(CancellationToken.None)).Exists);
        Assert.DoesNotContain(await NetworkTraces.OfAsync(_cluster, _state.Path, _vpc),
            t => t.Contains(left.Bridge, StringComparison.Ordinal) || t.Contains(left.NamespacePrefix, StringComparison.Ordinal)
                 || t.Contains(left.VethPrefix, StringComparison.Ordinal));
        Assert.True((await second.ReadAsync(CancellationToken.None)).BridgeExists);
    }

    [Fact]
    public async Task A_bridge_in_the_vpc_whose_state_folder_is_gone_is_reclaimed_with_what_still_runs_in_it()
    {
        using var gone = new TempFolder();
        var left = new NamespaceNetwork(_cluster, gone.Path, _vpc, [_vpc.AddressAt(1)]);
        _made.Add(left);
        await left.EnsureAsync(CancellationToken.None);
        using var running = await LiveInstance.StartAsync(left, "i-00000000000000001", _vpc.AddressAt(10));
        gone.Dispose();

        var reclaimed = await Network(LocalClusterHarness.NewName()).EnsureAsync(CancellationToken.None);

        Assert.Equal([$"abandoned network {left.Bridge} (cluster {_cluster}, state folder {gone.Path}: its state folder is gone)"], reclaimed);
        Assert.False((await left.ReadAsync(CancellationToken.None)).Exists);
        await running.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    [Fact]
    public async Task A_bridge_outside_the_vpc_is_left_alone_however_abandoned()
    {
        var elsewhere = Cidr.Parse("10.201.0.0/16");
        var other = new NamespaceNetwork(LocalClusterHarness.NewName(), _state.Path, elsewhere, [elsewhere.AddressAt(1)]);
        _made.Add(other);
        await other.EnsureAsync(CancellationToken.None);

        Assert.Empty(await Network().EnsureAsync(CancellationToken.None));
        Assert.True((await other.ReadAsync(CancellationToken.None)).BridgeExists);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(3u)]
    [InlineData(0u)]
    public async Task An_instance_cannot_take_the_bridges_addresses_or_the_network_address(uint offset)
    {
        var network = Network();
        await network.EnsureAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<LocalProviderException>(() =>
            network.AddAsync("i-00000000000000003", _vpc.AddressAt(offset), CancellationToken.None));

        Assert.Contains("not a free address of VPC", refused.Message);
        Assert.Empty((await network.ReadAsync(CancellationToken.None)).Namespaces);
    }

    private sealed class NetworkStateComparer : IEqualityComparer<NetworkState>
    {
        public bool Equals(NetworkState? x, NetworkState? y) =>
            x is not null && y is not null && x.BridgeExists == y.BridgeExists && x.IsUp == y.IsUp
            && x.BridgeAddresses.SequenceEqual(y.BridgeAddresses) && x.Namespaces.SequenceEqual(y.Namespaces);

        public int GetHashCode(NetworkState obj) => obj.BridgeExists.GetHashCode();
    }
}
