using System.Runtime.Versioning;
using Kubes.Controller.Cli;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Cli.Commands;

/// <summary><c>kubes up</c> of a local cluster whose VPC this machine already routes: bad input, nothing changed.</summary>
[Collection(LocalTestCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class UpCommandLocalNetworkTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_vpc_another_running_local_cluster_already_routes_exits_2_naming_the_route_and_the_field_with_nothing_changed()
    {
        var vpc = Cidr.Parse($"10.{Random.Shared.Next(33, 200)}.0.0/16");
        var otherState = Directory.CreateDirectory(Path.Join(_folder.Path, "other")).FullName;
        var other = new NamespaceNetwork(LocalClusterHarness.NewName(), otherState, vpc, [vpc.AddressAt(1)]);
        await other.EnsureAsync(CancellationToken.None);
        using var running = await LiveInstance.StartAsync(other, "i-00000000000000001", vpc.AddressAt(10));
        var file = Path.Join(_folder.Path, "cluster.yaml");
        try
        {
            var defaults = ClusterSpecDefaults.Local(LocalClusterHarness.NewName());
            var spec = defaults with
            {
                Network = defaults.Network with { VpcCidr = vpc.ToString() },
                StateStore = Path.Join(_folder.Path, "state"),
            };
            await File.WriteAllTextAsync(file, ClusterSpecWriter.Write(spec));

            var run = await CommandLine.RunAsync($"up -f {file} --wait-minutes 0");

            Assert.True(run.ExitCode == ExitCodes.BadInput, $"{run.ExitCode}: {run.Stdout}\n{run.Stderr}");
            // The first route into the VPC ip lists: the instance's /32 (main table) or the bridge's own address (local).
            Assert.True(new[] { vpc.AddressAt(10), vpc.AddressAt(1) }.Any(address => run.Stderr.Contains(
                $"error: This machine already routes {address} (dev {other.Bridge}, the bridge of another local cluster)",
                StringComparison.Ordinal)), run.Stderr);
            Assert.Contains("set spec.network.vpcCidr", run.Stderr);
            Assert.Contains("Nothing was changed.", run.Stderr);
            // Opening the cluster's state store makes its folder at most, empty.
            Assert.Empty(Directory.Exists(spec.StateStore) ? Directory.EnumerateFileSystemEntries(spec.StateStore) : []);
            // The only traces in the VPC are the other cluster's.
            Assert.All(await NetworkTraces.OfAsync(spec.Name, spec.StateStore, vpc), trace => Assert.Contains(other.Bridge, trace));
        }
        finally
        {
            // Had up gone ahead, its cluster would run on: never leave one behind.
            if (File.Exists(file)) await CommandLine.RunAsync($"destroy -f {file} --yes");
            await other.DeleteAsync(CancellationToken.None);
        }
    }
}
