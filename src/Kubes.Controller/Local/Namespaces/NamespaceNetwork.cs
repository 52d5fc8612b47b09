using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kubes.Controller.Networking;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// A VPC's addresses on this machine without touching the rest of its network: a bridge <c>kubes-br-&lt;hash&gt;</c>
/// holding the host's addresses of the VPC, each as a /32 (first the VPC's .1, which AWS reserves for its router), and
/// per instance a network namespace whose <c>eth0</c> (a veth into the bridge) carries the instance's VPC address with
/// the VPC's prefix. The instances reach each other and the bridge's addresses, and nothing else: no namespace has a
/// default route. The host routes only each instance's /32 into the bridge, so no other address of the VPC is ever
/// sent anywhere; and each port sends only as its instance (<see cref="PortSourceFilter"/>). Every name comes from a hash of the cluster's name and state folder, so whatever a crashed run left is
/// found by name, and two clusters of one name in two folders are two networks (whose VPCs, alike, refuse each other).
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class NamespaceNetwork
{
    private readonly string _tag;
    private readonly string? _alias;

    /// <param name="bridgeAddresses">The host's addresses on the bridge, each a /32: the first is the source of the
    /// host's packets to the instances.</param>
    public NamespaceNetwork(string cluster, string stateFolder, Cidr vpc, IReadOnlyList<IPAddress> bridgeAddresses)
    {
        ArgumentException.ThrowIfNullOrEmpty(cluster);
        if (bridgeAddresses.Count == 0) throw new ArgumentException("A bridge needs an address.", nameof(bridgeAddresses));
        _tag = TagOf(cluster, stateFolder);
        _alias = AbandonedNetworks.AliasOf(cluster, stateFolder);
        Vpc = vpc;
        BridgeAddresses = bridgeAddresses;
    }

    private NamespaceNetwork(string tag, Cidr vpc)
    {
        _tag = tag;
        _alias = null;
        Vpc = vpc;
        BridgeAddresses = [];
    }

    /// <summary>The network of another cluster, known only by its bridge: to read it and delete it, never to add to it.</summary>
    public static NamespaceNetwork OfBridge(string bridge, Cidr vpc) =>
        bridge.StartsWith("kubes-br-", StringComparison.Ordinal)
            ? new NamespaceNetwork(bridge["kubes-br-".Length..], vpc)
            : throw new ArgumentException($"{bridge} is not a Kubes bridge.", nameof(bridge));

    public Cidr Vpc { get; }
    public IReadOnlyList<IPAddress> BridgeAddresses { get; }
    public IPAddress BridgeAddress => BridgeAddresses[0];

    /// <summary>At most 15 characters, as Linux wants interface names.</summary>
    public string Bridge => $"kubes-br-{_tag}";

    public string NamespaceOf(string instanceId) => $"{NamespacePrefix}{instanceId}";

    /// <summary>The host end of an instance's veth, <c>kv&lt;cluster hash&gt;&lt;instance hash&gt;</c>: 15 characters.</summary>
    public string VethOf(string instanceId) => VethPrefix + Hash(instanceId)[..7];

    /// <summary>The MAC of an instance's <c>eth0</c>, fixed so that its port's filter knows it (<see cref="PortSourceFilter"/>):
    /// locally administered, <c>02:6c:</c> and four bytes of a hash of the instance id.</summary>
    public static string MacOf(string instanceId)
    {
        var hash = Hash(instanceId);
        return $"02:6c:{hash[..2]}:{hash[2..4]}:{hash[4..6]}:{hash[6..8]}";
    }

    /// <summary>Every namespace of the cluster starts so.</summary>
    public string NamespacePrefix => $"kubes-{_tag}-";

    /// <summary>Every host end of the cluster's veths starts so.</summary>
    public string VethPrefix => $"kv{_tag}";

    /// <summary>The bridge of a cluster's VPC, named without looking at this machine.</summary>
    public static string BridgeOf(string cluster, string stateFolder) => $"kubes-br-{TagOf(cluster, stateFolder)}";

    /// <summary>What this machine has of the network now: the bridge (if any), its addresses, and the cluster's namespaces.</summary>
    public async Task<NetworkState> ReadAsync(CancellationToken cancellationToken)
    {
        var namespaces = await NamespacesAsync(cancellationToken);
        if (await IpCommand.TryReadAsync(["-4", "-j", "addr", "show", "dev", Bridge], cancellationToken) is not { } shown)
            return new NetworkState(BridgeExists: false, IsUp: false, [], namespaces);
        using var json = JsonDocument.Parse(shown);
        var link = json.RootElement.EnumerateArray().Single();
        var isUp = link.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(f => f.GetString() == "UP");
        var addresses = link.TryGetProperty("addr_info", out var info)
            ? info.EnumerateArray().Where(a => a.GetProperty("prefixlen").GetInt32() == 32)
                .Select(a => IPAddress.Parse(a.GetProperty("local").GetString()!)).ToList()
            : [];
        return new NetworkState(BridgeExists: true, isUp, addresses, namespaces);
    }

    /// <summary>
    /// Creates the bridge, or completes one that is there: its fixed MAC, its owner in its alias, its addresses, up. First
    /// removes another cluster's abandoned network that holds part of the VPC (<see cref="AbandonedNetworks"/>) and returns
    /// a line for each. Refused, before anything else is changed, when the VPC is not private or this machine already
    /// routes part of it some other way (<see cref="LocalNetworkConflictException"/>). Leaves the namespaces alone.
    /// </summary>
    public async Task<IReadOnlyList<string>> EnsureAsync(CancellationToken cancellationToken)
    {
        if (!SpecLimits.PrivateRanges.Any(range => Cidr.Parse(range).Contains(Vpc)))
            throw new LocalProviderException(
                $"VPC {Vpc} is not inside {string.Join(", ", SpecLimits.PrivateRanges)}: only a private VPC is brought onto this machine.");
        if (BridgeAddresses.FirstOrDefault(a => !Vpc.Contains(a)) is { } outside)
            throw new LocalProviderException($"The bridge address {outside} is not inside the VPC {Vpc}.");
        var reclaimed = await AbandonedNetworks.ReclaimOverlappingAsync(Vpc, Bridge, cancellationToken);
        await HostRoutes.RefuseRoutesIntoAsync(Vpc, Bridge, cancellationToken);

        var created = !await IpCommand.TryRunAsync(["link", "show", "dev", Bridge], cancellationToken);
        if (created) await IpCommand.RunAsync(["link", "add", Bridge, "type", "bridge"], cancellationToken);
        try
        {
            // A bridge takes the lowest MAC of its ports unless given one: each new veth could change it under the
            // instances' ARP caches, and their packets to the bridge's addresses would go to another instance instead.
            var mac = $"02:6b:{_tag[..2]}:{_tag[2..4]}:{_tag[4..6]}:01";
            await IpCommand.RunAsync(["link", "set", "dev", Bridge, "address", mac], cancellationToken);
            // Whose it is, for a later cluster that finds it abandoned (AbandonedNetworks); an alias holds 255 bytes.
            if (_alias is { Length: <= 255 }) await IpCommand.RunAsync(["link", "set", "dev", Bridge, "alias", _alias], cancellationToken);
            foreach (var address in BridgeAddresses)
                await IpCommand.RunAsync(["addr", "replace", $"{address}/32", "dev", Bridge], cancellationToken);
            await IpCommand.RunAsync(["link", "set", Bridge, "up"], cancellationToken);
        }
        catch when (created)
        {
            await IpCommand.TryRunAsync(["link", "del", Bridge], CancellationToken.None);
            throw;
        }
        return reclaimed;
    }

    /// <summary>Whether any process runs in a namespace of the cluster: a live local cluster's agents always do.</summary>
    public async Task<bool> AnyProcessRunsAsync(CancellationToken cancellationToken)
    {
        foreach (var name in await NamespacesAsync(cancellationToken))
        {
            if (!string.IsNullOrWhiteSpace(await IpCommand.TryReadAsync(["netns", "pids", name], cancellationToken))) return true;
        }
        return false;
    }

    /// <summary>A namespace for the instance, on the bridge at <paramref name="address"/>; returns the namespace's name.</summary>
    public async Task<string> AddAsync(string instanceId, IPAddress address, CancellationToken cancellationToken)
    {
        if (!Vpc.Contains(address) || address.Equals(Vpc.AddressAt(0)) || BridgeAddresses.Contains(address))
            throw new LocalProviderException(
                $"Instance {instanceId} has address {address}, which is not a free address of VPC {Vpc} (the bridge holds " +
                $"{string.Join(", ", BridgeAddresses)}).");
        var name = NamespaceOf(instanceId);
        var veth = VethOf(instanceId);
        await IpCommand.RunAsync(["netns", "add", name], cancellationToken);
        try
        {
            await IpCommand.RunAsync(["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name], cancellationToken);
            // Filtered before it is on the bridge: the port never sends as anyone else.
            await IpCommand.RunAsync(["-n", name, "link", "set", "eth0", "address", MacOf(instanceId)], cancellationToken);
            await PortSourceFilter.AddAsync(veth, MacOf(instanceId), address, cancellationToken);
            await IpCommand.RunAsync(["link", "set", veth, "master", Bridge, "up"], cancellationToken);
            await IpCommand.RunAsync(["-n", name, "addr", "add", $"{address}/{Vpc.PrefixLength}", "dev", "eth0"], cancellationToken);
            await IpCommand.RunAsync(["-n", name, "link", "set", "eth0", "up"], cancellationToken);
            await IpCommand.RunAsync(["-n", name, "link", "set", "lo", "up"], cancellationToken);
            await IpCommand.RunAsync(["route", "replace", $"{address}/32", "dev", Bridge, "src", BridgeAddress.ToString()], cancellationToken);
        }
        catch
        {
            await RemoveAsync(instanceId, address, CancellationToken.None);
            throw;
        }
        return name;
    }

    /// <summary>Kills whatever still runs in the instance's namespace, then removes its route, veth and namespace; safe to repeat.</summary>
    public async Task RemoveAsync(string instanceId, IPAddress address, CancellationToken cancellationToken)
    {
        await RemoveRouteAsync(address, cancellationToken);
        await RemoveNamespaceAsync(instanceId, cancellationToken);
    }

    /// <summary>
    /// Removes what a crashed run left of the cluster: every namespace (with whatever still runs in it) and every host
    /// route into the bridge that belongs to no instance <paramref name="live"/> names (instance id → address). Both are
    /// listed before <paramref name="live"/> is asked, so an instance another process launches meanwhile, registered
    /// before its namespace and route are made, is never taken for a leftover. Returns what it removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RemoveStrayAsync(
        Func<CancellationToken, Task<IReadOnlyDictionary<string, IPAddress>>> live, CancellationToken cancellationToken)
    {
        var namespaces = await NamespacesAsync(cancellationToken);
        var routes = await RoutesAsync(cancellationToken);
        var instances = await live(cancellationToken);
        var removed = new List<string>();
        foreach (var name in namespaces.Where(n => !instances.ContainsKey(n[NamespacePrefix.Length..])))
        {
            await RemoveNamespaceAsync(name[NamespacePrefix.Length..], cancellationToken);
            removed.Add($"namespace {name}");
        }
        var addresses = instances.Values.ToHashSet();
        foreach (var route in routes.Where(r => !addresses.Contains(r)))
        {
            await RemoveRouteAsync(route, cancellationToken);
            removed.Add($"route {route}");
        }
        return removed;
    }

    /// <summary>Removes every namespace of the cluster (with whatever runs in it), its ports' filters, and the bridge, with its routes.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        foreach (var name in await NamespacesAsync(cancellationToken))
            await RemoveNamespaceAsync(name[NamespacePrefix.Length..], cancellationToken);
        await PortSourceFilter.RemoveAllAsync(VethPrefix, cancellationToken);
        if (await IpCommand.TryRunAsync(["link", "show", "dev", Bridge], cancellationToken))
            await IpCommand.RunAsync(["link", "del", Bridge], cancellationToken);
    }

    private static string TagOf(string cluster, string stateFolder) => Hash($"{cluster}\n{Path.GetFullPath(stateFolder)}")[..6];

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private async Task<IReadOnlyList<string>> NamespacesAsync(CancellationToken cancellationToken)
    {
        var listing = await IpCommand.RunAsync(["netns", "list"], cancellationToken);
        return
        [
            .. listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(' ')[0])
                .Where(name => name.StartsWith(NamespacePrefix, StringComparison.Ordinal))
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>The instances' host routes: every /32 the main table sends into the bridge.</summary>
    private async Task<IReadOnlyList<IPAddress>> RoutesAsync(CancellationToken cancellationToken)
    {
        if (await IpCommand.TryReadAsync(["-4", "-j", "route", "show", "dev", Bridge], cancellationToken) is not { } shown) return [];
        using var json = JsonDocument.Parse(shown);
        return
        [
            .. json.RootElement.EnumerateArray()
                .Select(route => route.TryGetProperty("dst", out var dst) ? dst.GetString() : null)
                .Select(destination => IPAddress.TryParse(destination, out var address) ? address : null)
                .OfType<IPAddress>(),
        ];
    }

    private async Task RemoveRouteAsync(IPAddress address, CancellationToken cancellationToken) =>
        await IpCommand.TryRunAsync(["route", "del", $"{address}/32", "dev", Bridge], cancellationToken);

    /// <summary>
    /// SIGKILL to whatever runs in the namespace, then the host end of its veth (deleting the namespace would remove the
    /// veth only once the kernel gets round to the namespace, which can take a while) and its port's filter, then the
    /// namespace itself.
    /// </summary>
    private async Task RemoveNamespaceAsync(string instanceId, CancellationToken cancellationToken)
    {
        var name = NamespaceOf(instanceId);
        if (await IpCommand.TryReadAsync(["netns", "pids", name], cancellationToken) is { } pids)
        {
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(pid, out var id)) ProcessTable.Signal(id, ProcessTable.SigKill);
            }
        }
        if (await IpCommand.TryRunAsync(["link", "show", "dev", VethOf(instanceId)], cancellationToken))
            await IpCommand.RunAsync(["link", "del", VethOf(instanceId)], cancellationToken);
        await PortSourceFilter.RemoveAsync(VethOf(instanceId), cancellationToken);
        if ((await NamespacesAsync(cancellationToken)).Contains(name))
            await IpCommand.RunAsync(["netns", "del", name], cancellationToken);
    }
}

/// <summary>What this machine has of a cluster's network.</summary>
internal sealed record NetworkState(bool BridgeExists, bool IsUp, IReadOnlyList<IPAddress> BridgeAddresses, IReadOnlyList<string> Namespaces)
{
    /// <summary>Whether anything of it is there, a leftover namespace without its bridge included.</summary>
    public bool Exists => BridgeExists || Namespaces.Count > 0;
}
