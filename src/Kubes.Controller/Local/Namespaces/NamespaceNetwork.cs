using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kubes.Controller.Networking;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// A VPC's addresses on this machine without touching its network: a bridge <c>kubes-br-&lt;hash&gt;</c> holding one
/// address of the VPC as a /32 (by default the VPC's .1, which AWS reserves for its router), and per instance a
/// network namespace whose <c>eth0</c> (a veth into the bridge) carries the instance's VPC address with the VPC's
/// prefix. The instances reach each other and the bridge address, and nothing else: no namespace has a default
/// route. The host routes only the bridge address and each booted instance's /32 into the bridge, so no other
/// private address is ever sent anywhere. Names come from a hash of the cluster, so a rerun first removes what a
/// crashed run of the same cluster left.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class NamespaceNetwork
{
    private static readonly Cidr[] PrivateRanges = [Cidr.Parse("10.0.0.0/8"), Cidr.Parse("172.16.0.0/12"), Cidr.Parse("192.168.0.0/16")];

    private readonly string _tag;

    private NamespaceNetwork(string tag, Cidr vpc, IPAddress bridgeAddress)
    {
        _tag = tag;
        Vpc = vpc;
        BridgeAddress = bridgeAddress;
    }

    public Cidr Vpc { get; }
    public IPAddress BridgeAddress { get; }

    /// <summary>At most 15 characters, as Linux wants interface names.</summary>
    public string Bridge => BridgeOf(_tag);

    public string NamespaceOf(string instanceId) => $"{NamespacePrefix(_tag)}{instanceId}";

    public static async Task<NamespaceNetwork> CreateAsync(string cluster, Cidr vpc, IPAddress bridgeAddress,
        CancellationToken cancellationToken)
    {
        if (!PrivateRanges.Any(range => range.Contains(vpc)))
            throw new LocalProviderException(
                $"VPC {vpc} is not inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16: only a private VPC is booted in network namespaces.");
        if (!vpc.Contains(bridgeAddress))
            throw new LocalProviderException($"The bridge address {bridgeAddress} is not inside the VPC {vpc}.");
        var tag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cluster)))[..6];
        await RemoveAllAsync(tag, cancellationToken);
        await RefuseHostRoutesIntoAsync(vpc, cancellationToken);

        var network = new NamespaceNetwork(tag, vpc, bridgeAddress);
        await IpCommand.RunAsync(["link", "add", network.Bridge, "type", "bridge"], cancellationToken);
        try
        {
            // A bridge takes the lowest MAC of its ports unless given one: each new veth could change it under the
            // instances' ARP caches, and their packets to the bridge address would go to another instance instead.
            var mac = $"02:6b:{tag[..2]}:{tag[2..4]}:{tag[4..6]}:01";
            await IpCommand.RunAsync(["link", "set", "dev", network.Bridge, "address", mac], cancellationToken);
            await IpCommand.RunAsync(["addr", "add", $"{bridgeAddress}/32", "dev", network.Bridge], cancellationToken);
            await IpCommand.RunAsync(["link", "set", network.Bridge, "up"], cancellationToken);
        }
        catch
        {
            await RemoveAllAsync(tag, CancellationToken.None);
            throw;
        }
        return network;
    }

    /// <summary>A namespace for the instance, on the bridge at <paramref name="address"/>; returns the namespace's name.</summary>
    public async Task<string> AddAsync(string instanceId, IPAddress address, CancellationToken cancellationToken)
    {
        if (!Vpc.Contains(address) || address.Equals(BridgeAddress))
            throw new LocalProviderException(
                $"Instance {instanceId} has address {address}, which is not a free address of VPC {Vpc} (the bridge holds {BridgeAddress}).");
        var name = NamespaceOf(instanceId);
        var veth = VethOf(name);
        await IpCommand.RunAsync(["netns", "add", name], cancellationToken);
        try
        {
            await IpCommand.RunAsync(["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", name], cancellationToken);
            await IpCommand.RunAsync(["link", "set", veth, "master", Bridge, "up"], cancellationToken);
            await IpCommand.RunAsync(["-n", name, "addr", "add", $"{address}/{Vpc.PrefixLength}", "dev", "eth0"], cancellationToken);
            await IpCommand.RunAsync(["-n", name, "link", "set", "eth0", "up"], cancellationToken);
            await IpCommand.RunAsync(["-n", name, "link", "set", "lo", "up"], cancellationToken);
            await IpCommand.RunAsync(["route", "add", $"{address}/32", "dev", Bridge, "src", BridgeAddress.ToString()], cancellationToken);
        }
        catch
        {
            await RemoveAsync(instanceId, address, CancellationToken.None);
            throw;
        }
        return name;
    }

    /// <summary>Kills whatever still runs in the instance's namespace, then removes its route, veth and namespace.</summary>
    public async Task RemoveAsync(string instanceId, IPAddress address, CancellationToken cancellationToken)
    {
        await IpCommand.TryRunAsync(["route", "del", $"{address}/32", "dev", Bridge], cancellationToken);
        await RemoveNamespaceAsync(NamespaceOf(instanceId), cancellationToken);
    }

    /// <summary>Removes every namespace of the cluster and the bridge (with its routes).</summary>
    public Task DeleteAsync(CancellationToken cancellationToken) => RemoveAllAsync(_tag, cancellationToken);

    private static string BridgeOf(string tag) => $"kubes-br-{tag}";

    private static string NamespacePrefix(string tag) => $"kubes-{tag}-";

    private static async Task RemoveAllAsync(string tag, CancellationToken cancellationToken)
    {
        var listing = await IpCommand.RunAsync(["netns", "list"], cancellationToken);
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line.Split(' ')[0];
            if (name.StartsWith(NamespacePrefix(tag), StringComparison.Ordinal)) await RemoveNamespaceAsync(name, cancellationToken);
        }
        if (await IpCommand.TryRunAsync(["link", "show", "dev", BridgeOf(tag)], cancellationToken))
            await IpCommand.RunAsync(["link", "del", BridgeOf(tag)], cancellationToken);
    }

    /// <summary>The host end of a namespace's veth: at most 15 characters.</summary>
    private static string VethOf(string namespaceName) =>
        "kv" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(namespaceName)))[..13];

    /// <summary>
    /// Deleting the namespace would destroy the veth only once the kernel gets round to the namespace (which can take
    /// a while): deleting the host end first removes both ends at once.
    /// </summary>
    private static async Task RemoveNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        var pids = await IpCommand.RunAsync(["netns", "pids", name], cancellationToken);
        foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(pid, out var id)) ProcessTable.Signal(id, ProcessTable.SigKill);
        }
        if (await IpCommand.TryRunAsync(["link", "show", "dev", VethOf(name)], cancellationToken))
            await IpCommand.RunAsync(["link", "del", VethOf(name)], cancellationToken);
        await IpCommand.RunAsync(["netns", "del", name], cancellationToken);
    }

    /// <summary>The host must not already reach any part of the VPC some other way: our /32s would hide it.</summary>
    private static async Task RefuseHostRoutesIntoAsync(Cidr vpc, CancellationToken cancellationToken)
    {
        using var routes = JsonDocument.Parse(await IpCommand.RunAsync(["-4", "-j", "route", "show", "table", "all"], cancellationToken));
        foreach (var route in routes.RootElement.EnumerateArray())
        {
            var destination = route.TryGetProperty("dst", out var dst) ? dst.GetString() : null;
            if (destination is null or "default") continue;
            var text = destination.Contains('/') ? destination : destination + "/32";
            if (Cidr.TryParse(text, out var reached, out _) && reached.Overlaps(vpc))
                throw new LocalProviderException(
                    $"This machine already routes {destination} (dev {(route.TryGetProperty("dev", out var dev) ? dev.GetString() : "?")}), " +
                    $"which overlaps VPC {vpc}: booting its instances here would hide those addresses. Use another VPC CIDR.");
        }
    }
}
