using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Local.Namespaces;

/// <summary>
/// From the attacker's side: root in its own instance's namespace, it sends UDP to the host's address on the bridge, or
/// to another instance, as someone else (their address as its source, the route and neighbour set by hand so no ARP is
/// needed) or from another MAC, then as itself. Only the datagram it sent as itself arrives.
/// </summary>
[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class PortSourceFilterTests : IAsyncLifetime
{
    private const string Attacker = "i-0a77ac4e700000001";
    private const string Victim = "i-0b1c7100000000002";
    private readonly TempFolder _state = new();
    private readonly Cidr _vpc = Cidr.Parse($"10.{Random.Shared.Next(33, 200)}.0.0/16");
    private readonly NamespaceNetwork _network;

    public PortSourceFilterTests() =>
        _network = new NamespaceNetwork(LocalClusterHarness.NewName(), _state.Path, _vpc, [_vpc.AddressAt(1)]);

    private IPAddress AttackerAddress => _vpc.AddressAt(10);
    private IPAddress VictimAddress => _vpc.AddressAt(11);

    public async Task InitializeAsync()
    {
        await _network.EnsureAsync(CancellationToken.None);
        await _network.AddAsync(Attacker, AttackerAddress, CancellationToken.None);
        await _network.AddAsync(Victim, VictimAddress, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _network.DeleteAsync(CancellationToken.None);
        _state.Dispose();
    }

    [Fact]
    public async Task An_instance_sending_as_another_address_or_another_mac_is_dropped_and_as_itself_passes()
    {
        using var host = new UdpClient(new IPEndPoint(_network.BridgeAddress, 0));
        var port = ((IPEndPoint)host.Client.LocalEndPoint!).Port;
        var ns = _network.NamespaceOf(Attacker);
        var bridge = _network.BridgeAddress;
        await NetworkTraces.IpAsync("-n", ns, "neigh", "replace", $"{bridge}", "lladdr", await NetworkTraces.MacOfAsync(_network.Bridge),
            "dev", "eth0", "nud", "permanent");

        // As the victim: its address on the attacker's eth0, and the source of the attacker's packets to the host.
        await NetworkTraces.IpAsync("-n", ns, "addr", "add", $"{VictimAddress}/32", "dev", "eth0");
        await NetworkTraces.IpAsync("-n", ns, "route", "replace", $"{bridge}/32", "dev", "eth0", "src", $"{VictimAddress}");
        await SendAsync(ns, bridge, port, "as-the-victim");
        // Its own address from another MAC.
        await NetworkTraces.IpAsync("-n", ns, "route", "replace", $"{bridge}/32", "dev", "eth0", "src", $"{AttackerAddress}");
        await NetworkTraces.IpAsync("-n", ns, "link", "set", "eth0", "address", "02:6c:de:ad:be:ef");
        await SendAsync(ns, bridge, port, "from-another-mac");
        // As itself.
        await NetworkTraces.IpAsync("-n", ns, "link", "set", "eth0", "address", NamespaceNetwork.MacOf(Attacker));
        await SendAsync(ns, bridge, port, "as-itself");

        await AssertOnlyAsync(host, "as-itself", AttackerAddress);
    }

    /// <summary>The first datagram to arrive is <paramref name="payload"/> from <paramref name="source"/> (the forged ones
    /// were sent before it), and nothing else arrives after it either.</summary>
    private static async Task AssertOnlyAsync(UdpClient receiver, string payload, IPAddress source)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await receiver.ReceiveAsync(wait.Token);
        Assert.Equal((payload, source), (Encoding.ASCII.GetString(first.Buffer), first.RemoteEndPoint.Address));
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await receiver.ReceiveAsync(quiet.Token));
    }

    [Fact]
    public async Task An_instance_passing_for_the_host_to_another_instance_is_dropped_and_as_itself_passes()
    {
        using var victim = NamespaceSockets.BindUdp(_network.NamespaceOf(Victim), new IPEndPoint(VictimAddress, 0));
        var port = ((IPEndPoint)victim.Client.LocalEndPoint!).Port;
        var ns = _network.NamespaceOf(Attacker);
        await NetworkTraces.IpAsync("-n", ns, "neigh", "replace", $"{VictimAddress}", "lladdr", NamespaceNetwork.MacOf(Victim),
            "dev", "eth0", "nud", "permanent");

        // As the host (the bridge's .1, where the registrar and the metadata service answer).
        await NetworkTraces.IpAsync("-n", ns, "addr", "add", $"{_network.BridgeAddress}/32", "dev", "eth0");
        await NetworkTraces.IpAsync("-n", ns, "route", "replace", $"{VictimAddress}/32", "dev", "eth0", "src", $"{_network.BridgeAddress}");
        await SendAsync(ns, VictimAddress, port, "as-the-host");
        await NetworkTraces.IpAsync("-n", ns, "route", "replace", $"{VictimAddress}/32", "dev", "eth0", "src", $"{AttackerAddress}");
        await SendAsync(ns, VictimAddress, port, "as-itself");

        await AssertOnlyAsync(victim, "as-itself", AttackerAddress);
    }

    [Fact]
    public async Task A_ports_filter_goes_with_its_instance_and_every_filter_with_the_bridge()
    {
        Assert.Equal([_network.VethOf(Attacker), _network.VethOf(Victim)],
            (await PortSourceFilter.PortsAsync(_network.VethPrefix, CancellationToken.None)).Order(StringComparer.Ordinal));

        await _network.RemoveAsync(Attacker, AttackerAddress, CancellationToken.None);
        Assert.Equal([_network.VethOf(Victim)], await PortSourceFilter.PortsAsync(_network.VethPrefix, CancellationToken.None));

        await _network.DeleteAsync(CancellationToken.None);
        Assert.Empty(await PortSourceFilter.PortsAsync(_network.VethPrefix, CancellationToken.None));
        Assert.DoesNotContain($"-i {_network.VethOf(Victim)} ", await EbtablesNatAsync());
    }

    /// <summary>What bash's /dev/udp sends: one datagram, from the address the namespace's route to the host picks.</summary>
    private static Task SendAsync(string ns, IPAddress to, int port, string payload) =>
        NetworkTraces.IpAsync("netns", "exec", ns, "bash", "-c", $"printf %s {payload} > /dev/udp/{to}/{port}");

    private static async Task<string> EbtablesNatAsync()
    {
        var start = new System.Diagnostics.ProcessStartInfo("ebtables", ["-t", "nat", "-L"]) { RedirectStandardOutput = true };
        using var ebtables = System.Diagnostics.Process.Start(start)!;
        var output = await ebtables.StandardOutput.ReadToEndAsync();
        await ebtables.WaitForExitAsync();
        return output;
    }
}
