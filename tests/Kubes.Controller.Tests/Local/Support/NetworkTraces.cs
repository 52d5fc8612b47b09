using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text.Json;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>
/// Whatever this machine has of one cluster's network: its namespaces, its links (the bridge and the veths' host ends),
/// every route into its VPC (<c>route &lt;type&gt; &lt;destination&gt; dev &lt;device&gt;</c>: a bridge address is a
/// <c>local</c> one), its ports' ebtables chains, and the mounts that hold its namespaces. Only the cluster's own: other worktrees' tests make
/// and remove theirs at the same time.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class NetworkTraces
{
    public static async Task<IReadOnlyList<string>> OfAsync(string cluster, string stateFolder, Cidr vpc)
    {
        var network = new NamespaceNetwork(cluster, stateFolder, vpc, [vpc.AddressAt(1)]);
        var traces = new List<string>();
        traces.AddRange((await IpAsync("netns", "list")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .Where(name => name.StartsWith(network.NamespacePrefix, StringComparison.Ordinal)).Select(name => $"namespace {name}"));
        using (var links = JsonDocument.Parse(await IpAsync("-j", "link", "show")))
        {
            traces.AddRange(links.RootElement.EnumerateArray().Select(link => link.GetProperty("ifname").GetString()!)
                .Where(name => name == network.Bridge || name.StartsWith(network.VethPrefix, StringComparison.Ordinal))
                .Select(name => $"link {name}"));
        }
        using (var routes = JsonDocument.Parse(await IpAsync("-4", "-j", "route", "show", "table", "all")))
        {
            foreach (var route in routes.RootElement.EnumerateArray())
            {
                var destination = route.TryGetProperty("dst", out var dst) ? dst.GetString() : null;
                if (destination is null or "default") continue;
                var type = route.TryGetProperty("type", out var kind) ? kind.GetString() : "unicast";
                var dev = route.TryGetProperty("dev", out var device) ? device.GetString() : "?";
                if (Cidr.TryParse(destination.Contains('/') ? destination : destination + "/32", out var block, out _) && block.Overlaps(vpc))
                    traces.Add($"route {type} {destination} dev {dev}");
            }
        }
        traces.AddRange((await PortSourceFilter.PortsAsync(network.VethPrefix, CancellationToken.None))
            .Select(veth => $"ebtables chain {PortSourceFilter.ChainOf(veth)}"));
        traces.AddRange(File.ReadLines("/proc/self/mountinfo")
            .Where(line => line.Contains($"/netns/{network.NamespacePrefix}", StringComparison.Ordinal)).Select(line => $"mount {line}"));
        return traces;
    }

    /// <summary>The network namespace a process is in, by name, as <c>ip netns identify</c> says.</summary>
    public static async Task<string> NamespaceOfAsync(int pid) => (await IpAsync("netns", "identify", pid.ToString())).Trim();

    public static async Task<string> MacOfAsync(string link) =>
        (await IpAsync("-br", "link", "show", "dev", link)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];

    /// <summary>A command run inside one of the cluster's namespaces (<c>ip netns exec</c>), with its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> InNamespaceAsync(string name, params string[] command)
    {
        var start = new ProcessStartInfo("ip", ["netns", "exec", name, .. command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    public static async Task<string> IpAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip", arguments) { RedirectStandardOutput = true, UseShellExecute = false };
        using var ip = Process.Start(start)!;
        var output = await ip.StandardOutput.ReadToEndAsync();
        await ip.WaitForExitAsync();
        Assert.True(ip.ExitCode == 0, $"ip {string.Join(' ', arguments)} exited with {ip.ExitCode}");
        return output;
    }
}
