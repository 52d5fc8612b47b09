using System.Diagnostics;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Local;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Artifacts;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.EndToEnd;

/// <summary>
/// Nodes as an Auto Scaling group, end to end against the emulator: <c>kubes up</c> creates the group, its instances
/// (booted here in network namespaces, with the shared user-data the emulator keeps) join with the STS proof signed by
/// their own instance-profile credentials, get kubelet certificates named after their verified instance id and address,
/// and install the node as a slot's node is installed (containerd answering CRI under each root). A larger count and
/// another <c>up</c> changes the group's desired capacity.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AwsAutoScalingNodesTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly int _octet = Random.Shared.Next(1, 255);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Group_nodes_join_through_sts_with_instance_id_names_and_a_new_count_changes_the_desired_capacity()
    {
        var vpc = Cidr.Parse($"10.{_octet}.0.0/16");
        var bridge = vpc.AddressAt(1);
        var port = MotoServer.FreePort();
        var defaults = ClusterSpecDefaults.Aws($"asg{_octet}");
        var spec = defaults with
        {
            Image = "ami-1e749f67",
            Network = defaults.Network with { VpcCidr = vpc.ToString() },
            Bastion = defaults.Bastion with { Count = 0 },
            Etcd = defaults.Etcd with { Count = 1 },
            Controllers = defaults.Controllers with { Count = 1 },
            Nodes = defaults.Nodes with { Count = 2, Min = 1, Max = 5, AutoScaling = true },
            AgentChannel = AgentChannel.S3,
            Artifacts = new ArtifactsSpec { BaseUrl = HostReleaseImport.UnreachableSite },
        };
        using var output = new StringWriter();

        var endpoint = new Uri($"http://{bridge}:{port}/");
        using var emulator = EmulatorClients.At(endpoint);
        await using var booter = await Ec2InstanceBooter.StartAsync(emulator.Ec2,
            new Ec2BootOptions(spec.Name, Path.Join(_folder.Path, "booted"), vpc)
            {
                InstanceProfiles = emulator.InstanceProfiles,
                StopGrace = TimeSpan.FromSeconds(3),
            });
        await using var moto = await MotoServer.StartOnAsync(bridge.ToString(), port);

        using (var session = await ClusterProviders.OpenAsync(spec, new ProviderOptions { AwsEnvironment = moto.Environment() }, CancellationToken.None))
        {
            var launch = await new ClusterUp(session, new ConsoleUpProgress(output)).RunAsync(TimeSpan.Zero, CancellationToken.None);
            Assert.True(launch.Result.Succeeded, output.ToString());
            await HostReleaseImport.IntoAsync(session.Store, spec, Path.Join(_folder.Path, "etcd-release"), CancellationToken.None);

            var booted = await booter.BootClusterAsync();
            var nodes = booted.Where(b => b.Tags.ContainsKey("aws:autoscaling:groupName")).ToList();
            Assert.Equal(2, nodes.Count);

            var (result, slots) = await new ClusterUp(session, new ConsoleUpProgress(output))
                .RunAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
            Assert.True(result.Succeeded, output.ToString());
            var logs = $"{output}\n{AwsBootedEtcdTests.ConsoleLogs(booted)}";
            Assert.True(slots.Single(s => s.Role == "etcd").IsReady, logs);
            var nodeRows = slots.Where(s => s.Role == "node").ToList();
            Assert.Equal(nodes.Select(n => n.InstanceId).Order(), nodeRows.Select(r => r.Slot).Order());
            // Nothing provided the kubelet and kube-proxy (no network, nothing imported; a kubelet here could not reach the
            // emulated load balancer anyway): each node runs its container runtime and waits for them, saying what provides them.
            Assert.All(nodeRows, row => Assert.True(row.IsFailed && row.Error!.Contains("no 'kubelet' artifact") &&
                row.Error.Contains("'kubes artifacts import DIR'"), $"{row.Slot}: {row.Phase} {row.Error}\n{logs}"));

            foreach (var node in nodes)
            {
                var certificate = Path.Join(node.RootFolder, "etc", "kubes", "pki", "kubelet-serving.crt");
                var text = await OpenSslTextAsync(certificate);
                Assert.Contains($"CN=system:node:{node.InstanceId}", text.Replace(" = ", "="));
                Assert.Contains($"DNS:{node.InstanceId}", text);
                Assert.Contains($"IP Address:{node.PrivateIp}", text);
                // Installed the same way as a slot's node: its own containerd answers CRI under its root.
                using var cri = new Kubes.Agent.Components.Containerd.Cri.CriRuntimeClient(
                    Path.Join(node.RootFolder, "run", "containerd", "containerd.sock"));
                Assert.Equal("containerd", (await cri.VersionAsync(CancellationToken.None)).RuntimeName);
            }
        }

        var scaled = spec with { Nodes = spec.Nodes with { Count = 3 } };
        using (var session = await ClusterProviders.OpenAsync(scaled, new ProviderOptions { AwsEnvironment = moto.Environment() }, CancellationToken.None))
        {
            var (result, _) = await new ClusterUp(session, new ConsoleUpProgress(output)).RunAsync(TimeSpan.Zero, CancellationToken.None);
            Assert.True(result.Succeeded, output.ToString());
            var group = (await ((AwsClusterSession)session).Clients.AutoScaling.DescribeAutoScalingGroupsAsync([$"{spec.Name}-node"])).Single();
            Assert.Equal(3, group.DesiredCapacity);
        }
    }

    private static async Task<string> OpenSslTextAsync(string certificate)
    {
        var start = new ProcessStartInfo("openssl", ["x509", "-in", certificate, "-noout", "-text"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var openssl = Process.Start(start)!;
        var text = await openssl.StandardOutput.ReadToEndAsync();
        await openssl.WaitForExitAsync();
        Assert.True(openssl.ExitCode == 0, await openssl.StandardError.ReadToEndAsync());
        return text;
    }
}
