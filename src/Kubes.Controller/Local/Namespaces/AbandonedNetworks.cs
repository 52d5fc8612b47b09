using System.Runtime.Versioning;
using System.Text.Json;
using Kubes.Controller.Local.Haproxy;
using Kubes.Controller.Networking;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// The networks other local clusters left behind on this machine, found where they hold part of a VPC being brought up.
/// A cluster's bridge is abandoned when nothing runs in any of its namespaces (a live local cluster always has its agents
/// running there), or when the state folder its alias names is gone: a test or a <c>kubes up</c> killed before it could
/// destroy, on a machine that kept its network. Such a bridge is removed, with its namespaces, instead of refusing the
/// VPC for good, with the HAProxy of its API endpoint; a bridge whose cluster still runs is left alone, and <see cref="HostRoutes"/> refuses the VPC.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class AbandonedNetworks
{
    private const string BridgePrefix = "kubes-br-";
    private const string AliasPrefix = "kubes:";

    /// <summary>What a bridge's alias says of its cluster: <c>kubes:&lt;cluster&gt;:&lt;state folder&gt;</c>.</summary>
    public static string AliasOf(string cluster, string stateFolder) => $"{AliasPrefix}{cluster}:{Path.GetFullPath(stateFolder)}";

    /// <summary>
    /// Removes every abandoned bridge of another cluster that routes into <paramref name="vpc"/>, with its namespaces (and
    /// whatever still runs in them); returns a line per bridge removed, saying whose it was and why it was taken.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ReclaimOverlappingAsync(Cidr vpc, string ownBridge, CancellationToken cancellationToken)
    {
        var reclaimed = new List<string>();
        foreach (var bridge in await BridgesRoutingIntoAsync(vpc, ownBridge, cancellationToken))
        {
            var network = NamespaceNetwork.OfBridge(bridge, vpc);
            var namespaces = (await network.ReadAsync(cancellationToken)).Namespaces;
            var owner = await OwnerOfAsync(bridge, cancellationToken);
            var folderGone = owner is { } known && !Directory.Exists(known.StateFolder);
            if (!folderGone && await network.AnyProcessRunsAsync(cancellationToken)) continue;

            // Its API endpoint's HAProxy runs on this machine, not in a namespace: it goes with the address it listens on.
            var loadBalancer = LocalApiLoadBalancer.TreeIdOf(bridge);
            await LocalProcessTrees.StopAsync(loadBalancer, LocalProcessTrees.FindSession(loadBalancer), TimeSpan.FromSeconds(5),
                cancellationToken);
            await network.DeleteAsync(cancellationToken);
            var whose = owner is { } o ? $"cluster {o.Cluster}, state folder {o.StateFolder}" : "a cluster it does not name";
            var why = folderGone ? "its state folder is gone" : $"nothing ran in its {namespaces.Count} namespace(s)";
            reclaimed.Add($"abandoned network {bridge} ({whose}: {why})");
        }
        return reclaimed;
    }

    private static async Task<IReadOnlyList<string>> BridgesRoutingIntoAsync(Cidr vpc, string ownBridge, CancellationToken cancellationToken) =>
    [
        .. (await HostRoutes.RoutesIntoAsync(vpc, cancellationToken))
            .Select(route => route.Dev)
            .OfType<string>()
            .Where(dev => dev != ownBridge && dev.StartsWith(BridgePrefix, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal),
    ];

    private static async Task<(string Cluster, string StateFolder)?> OwnerOfAsync(string bridge, CancellationToken cancellationToken)
    {
        if (await IpCommand.TryReadAsync(["-j", "link", "show", "dev", bridge], cancellationToken) is not { } shown) return null;
        using var json = JsonDocument.Parse(shown);
        var link = json.RootElement.EnumerateArray().FirstOrDefault();
        if (link.ValueKind != JsonValueKind.Object || !link.TryGetProperty("ifalias", out var alias)) return null;
        var text = alias.GetString() ?? "";
        if (!text.StartsWith(AliasPrefix, StringComparison.Ordinal)) return null;
        var rest = text[AliasPrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || !Path.IsPathRooted(rest[(colon + 1)..]) ? null : (rest[..colon], rest[(colon + 1)..]);
    }
}
