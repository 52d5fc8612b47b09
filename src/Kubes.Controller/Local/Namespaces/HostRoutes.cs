using System.Runtime.Versioning;
using System.Text.Json;
using Kubes.Controller.Networking;

namespace Kubes.Controller.Local.Namespaces;

/// <summary>
/// What this machine already routes, as far as a VPC brought onto it is concerned: a route into the VPC that does not go
/// through the VPC's own bridge (another interface's network, a VPN's, another local cluster's bridge) would be hidden by
/// the host routes of the instances, or hide them.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class HostRoutes
{
    /// <summary>Refuses, before anything is changed, a VPC that this machine reaches other than through <paramref name="bridge"/>.</summary>
    /// <exception cref="LocalNetworkConflictException">naming the first such route and what to do.</exception>
    public static async Task RefuseRoutesIntoAsync(Cidr vpc, string bridge, CancellationToken cancellationToken)
    {
        foreach (var (destination, dev) in await RoutesIntoAsync(vpc, cancellationToken))
        {
            if (dev == bridge) continue;
            var owner = dev?.StartsWith("kubes-br-", StringComparison.Ordinal) == true ? ", the bridge of another local cluster" : "";
            throw new LocalNetworkConflictException(
                $"This machine already routes {destination} (dev {dev ?? "?"}{owner}), which overlaps VPC {vpc}: the cluster's " +
                $"instances would hide those addresses, or be hidden by them. Give the cluster a VPC this machine does not " +
                "route: set spec.network.vpcCidr to another private /16 ('kubes init --local' writes a spec to set it in; " +
                "'ip route show table all' shows what is routed). Nothing was changed.");
        }
    }

    /// <summary>Every route of every table into part of <paramref name="vpc"/>, in the order ip lists them: its
    /// destination as ip writes it, and its device.</summary>
    public static async Task<IReadOnlyList<(string Destination, string? Dev)>> RoutesIntoAsync(Cidr vpc, CancellationToken cancellationToken)
    {
        using var routes = JsonDocument.Parse(await IpCommand.RunAsync(["-4", "-j", "route", "show", "table", "all"], cancellationToken));
        var into = new List<(string, string?)>();
        foreach (var route in routes.RootElement.EnumerateArray())
        {
            var destination = route.TryGetProperty("dst", out var dst) ? dst.GetString() : null;
            var dev = route.TryGetProperty("dev", out var device) ? device.GetString() : null;
            if (destination is null or "default") continue;
            var text = destination.Contains('/') ? destination : destination + "/32";
            if (Cidr.TryParse(text, out var reached, out _) && reached.Overlaps(vpc)) into.Add((destination, dev));
        }
        return into;
    }
}
