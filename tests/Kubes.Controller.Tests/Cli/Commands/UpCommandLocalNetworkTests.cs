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
    public async Task A_vpc_another_local_cluster_already_routes_exits_2_naming_the_route_and_the_field_with_nothing_changed()
    {
        var vpc = Cidr.Parse($"10.{Random.Shared.Next(33, 200)}.0.0/16");
        var other = new NamespaceNetwork(LocalClusterHarness.NewName(), Path.Join(_folder.Path, "other"), vpc, [vpc.AddressAt(1)]);
        await other.EnsureAsync(CancellationToken.None);
        try
        {
            var defaults = ClusterSpecDefaults.Local(LocalClusterHarness.NewName());
            var spec = defaults with
            {
                Network = defaults.Network with { VpcCidr = vpc.ToString() },
                StateStore = Path.Join(_folder.Path, "state"),
            };
            var file = Path.Join(_folder.Path, "cluster.yaml");
            await File.WriteAllTextAsync(file, ClusterSpecWriter.Write(spec));

            var run = await CommandLine.RunAsync($"up -f {file} --wait-minutes 0");

            Assert.True(run.ExitCode == ExitCodes.BadInput, $"{run.ExitCode}: {run.Stdout}\n{run.Stderr}");
            Assert.Contains($"error: This machine already routes {vpc.AddressAt(1)} (dev {other.Bridge}, the bridge of another local cluster)",
                run.Stderr);
            Assert.Contains("set spec.network.vpcCidr", run.Stderr);
            Assert.Contains("Nothing was changed.", run.Stderr);
            // Opening the cluster's state store makes its folder at most, empty.
            Assert.Empty(Directory.Exists(spec.StateStore) ? Directory.EnumerateFileSystemEntries(spec.StateStore) : []);
            // The only traces in the VPC are the other cluster's.
            Assert.All(await NetworkTraces.OfAsync(spec.Name, spec.StateStore, vpc), trace => Assert.Contains(other.Bridge, trace));
        }
        finally
        {
            await other.DeleteAsync(CancellationToken.None);
        }
    }
}
