using System.Net;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// Anti-spoofing on a cluster's bridge: an instance's veth sends only frames from its own MAC, and of those only IPv4
/// from its own address and ARP that names its own address and MAC; everything else it sends is dropped before the bridge
/// forwards it or hands it to the host. So an instance can pass neither for another instance nor for the bridge's
/// addresses. One ebtables chain per port, <c>kubes-&lt;veth&gt;</c> in the nat table, which PREROUTING (where every frame
/// a port sends enters the bridge) jumps to for frames in by that port; rules name the port, so they outlive its veth and
/// are removed by name.
/// </summary>
internal static class PortSourceFilter
{
    private const string Table = "nat";
    private const string ChainPrefix = "kubes-";
    private static readonly HostCommand Ebtables = new("ebtables", "iptables");

    /// <summary>The chain of one port; at most 21 characters, inside ebtables' 31.</summary>
    public static string ChainOf(string veth) => ChainPrefix + veth;

    /// <summary>Lets <paramref name="veth"/> send as <paramref name="mac"/> and <paramref name="address"/> only; replaces what was there.</summary>
    public static async Task AddAsync(string veth, string mac, IPAddress address, CancellationToken cancellationToken)
    {
        await RemoveAsync(veth, cancellationToken);
        var chain = ChainOf(veth);
        var ip = address.ToString();
        await RunAsync(["-N", chain, "-P", "RETURN"], cancellationToken);
        await RunAsync(["-A", chain, "-s", mac, "-p", "IPv4", "--ip-src", ip, "-j", "RETURN"], cancellationToken);
        await RunAsync(["-A", chain, "-s", mac, "-p", "ARP", "--arp-ip-src", ip, "--arp-mac-src", mac, "-j", "RETURN"], cancellationToken);
        await RunAsync(["-A", chain, "-j", "DROP"], cancellationToken);
        await RunAsync(["-A", "PREROUTING", "-i", veth, "-j", chain], cancellationToken);
    }

    /// <summary>Removes the port's jump and chain; safe to repeat.</summary>
    public static async Task RemoveAsync(string veth, CancellationToken cancellationToken)
    {
        var chain = ChainOf(veth);
        // A jump added twice (two runs racing) is deleted once per copy.
        while (await TryRunAsync(["-D", "PREROUTING", "-i", veth, "-j", chain], cancellationToken))
        {
        }
        if (await TryRunAsync(["-F", chain], cancellationToken)) await RunAsync(["-X", chain], cancellationToken);
    }

    /// <summary>Removes the rules of every port whose veth starts with <paramref name="vethPrefix"/>: a cluster's, its veths gone or not.</summary>
    public static async Task RemoveAllAsync(string vethPrefix, CancellationToken cancellationToken)
    {
        foreach (var veth in await PortsAsync(vethPrefix, cancellationToken)) await RemoveAsync(veth, cancellationToken);
    }

    /// <summary>The ports with rules whose veth starts with <paramref name="vethPrefix"/>, from the chains' names.</summary>
    public static async Task<IReadOnlyList<string>> PortsAsync(string vethPrefix, CancellationToken cancellationToken)
    {
        // "Bridge chain: kubes-kv..., entries: 3, policy: RETURN"
        const string heading = "Bridge chain: ";
        var listing = await RunAsync(["-L"], cancellationToken);
        return
        [
            .. listing.Split('\n', StringSplitOptions.TrimEntries)
                .Where(line => line.StartsWith(heading + ChainPrefix + vethPrefix, StringComparison.Ordinal))
                .Select(line => line[(heading + ChainPrefix).Length..line.IndexOf(',', StringComparison.Ordinal)])
                .Order(StringComparer.Ordinal),
        ];
    }

    private static Task<string> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Ebtables.RunAsync(["-t", Table, .. arguments], cancellationToken);

    private static Task<bool> TryRunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        Ebtables.TryRunAsync(["-t", Table, .. arguments], cancellationToken);
}
