using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Local;
using Kubes.Controller.Local.Namespaces;
using Kubes.Controller.Networking;
using Kubes.Controller.Tests.Aws.Handlers;
using Kubes.Controller.Tests.Fixtures;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Local.Namespaces;

/// <summary>
/// Instances that moto holds (and does not run), booted here: each in a network namespace of its own at its VPC
/// address, on a bridge the booter creates, reading its identity through IMDSv2 on the bridge address.
/// </summary>
[Collection(MotoServer.Collection)]
[SupportedOSPlatform("linux")]
public sealed class Ec2InstanceBooterTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private static readonly string Script = IdentityScript.Before("""
        ip -4 -o addr show dev eth0 > "$KUBES_ROOT/addresses"
        get user-data | sha256sum > "$KUBES_ROOT/user-data.sha256"
        """);

    private readonly AwsCloudClients _clients = new(moto.Environment());
    private readonly TempFolder _state = new();
    private readonly int _octet = Random.Shared.Next(1, 255);

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _clients.Dispose();
        _state.Dispose();
    }

    [Fact]
    public async Task Three_instances_boot_in_namespaces_at_their_vpc_addresses_see_only_their_own_metadata_and_leave_nothing_behind()
    {
        var vpc = Cidr.Parse($"10.{_octet}.0.0/16");
        var instances = await LaunchInMotoAsync(vpc);

        var booter = await Ec2InstanceBooter.StartAsync(_clients.Ec2, new Ec2BootOptions("moto-boot", _state.Path, vpc));
        var booted = new List<LocalInstance>();
        try
        {
            Assert.Equal(IPAddress.Parse($"10.{_octet}.0.1"), booter.BridgeAddress);
            var bridgeMac = await NetworkTraces.MacOfAsync(booter.Bridge);
            foreach (var (id, _, _) in instances) booted.Add(await booter.BootAsync(id));
            // The bridge keeps its MAC as ports join, or the instances' ARP entries for the bridge address go stale.
            Assert.Equal(bridgeMac, await NetworkTraces.MacOfAsync(booter.Bridge));

            foreach (var (id, address, zone) in instances)
            {
                var instance = Assert.Single(booted, b => b.InstanceId == id);
                await IdentityScript.BootedAsync(instance);
                Assert.Equal($"{id} {address} {zone}\n", await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "identity")));
                Assert.Contains($" eth0    inet {address}/16 ", await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "addresses")));
                Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Script))),
                    await File.ReadAllTextAsync(Path.Join(instance.RootFolder, "user-data.sha256")));
                Assert.Equal(booter.NamespaceOf(id), await NetworkTraces.NamespaceOfAsync(instance.Session!.Value.LeaderPid));
                Assert.Equal("etcd", instance.Role);
            }

            // The host itself is no instance: the bridge's metadata service does not answer it.
            using var host = new ImdsClient(booter.MetadataEndpoint);
            Assert.Equal(HttpStatusCode.Forbidden, (await host.PutTokenAsync("60")).Status);
        }
        finally
        {
            await booter.DisposeAsync();
        }

        Assert.Empty(await NetworkTraces.OfAsync("moto-boot", _state.Path, vpc));
        foreach (var instance in booted)
        {
            Assert.Empty(LocalProcessTrees.MembersOf(instance.InstanceId, instance.Session));
            Assert.False(Directory.Exists(instance.RootFolder));
        }
    }

    [Fact]
    public async Task The_etcd_instances_kubes_up_launched_in_moto_boot_with_the_user_data_it_gave_them()
    {
        using var cluster = new AwsClusterHarness(moto);
        var up = await cluster.UpAsync();
        Assert.True(up.Succeeded, string.Join("\n", up.Failed.Select(f => $"{f.Change.Key}: {f.Reason}")));

        await using var booter = await Ec2InstanceBooter.StartAsync(_clients.Ec2,
            new Ec2BootOptions(cluster.Spec.Name, _state.Path, Cidr.Parse(cluster.Spec.Network.VpcCidr)));
        var booted = await booter.BootClusterAsync(tags => tags.GetValueOrDefault(ClusterTags.Role) == "etcd");

        Assert.Equal(["etcd-0", "etcd-1", "etcd-2"], booted.Select(i => i.Slot).Order());
        foreach (var instance in booted)
        {
            var slot = Assert.Single(cluster.Topology.Slots, s => s.Name == instance.Slot);
            Assert.Equal((slot.PrivateIp!.ToString(), slot.Zone.Zone), (instance.PrivateIp, instance.Zone));
            await Eventually.TrueAsync(() => File.ReadAllText(instance.ConsoleLogPath).Contains("user-data exited with status 0"),
                $"{instance.Slot}'s user-data to run");
            Assert.Contains($"\n{instance.Slot}\n", await File.ReadAllTextAsync(instance.ConsoleLogPath));
        }
        Assert.Empty(await booter.BootClusterAsync(tags => tags.GetValueOrDefault(ClusterTags.Role) == "etcd"));
    }

    [Fact]
    public async Task A_vpc_outside_the_private_ranges_is_refused_before_anything_is_created()
    {
        var vpc = Cidr.Parse("192.0.2.0/24");

        var error = await Assert.ThrowsAsync<LocalProviderException>(() =>
            Ec2InstanceBooter.StartAsync(_clients.Ec2, new Ec2BootOptions("moto-boot", _state.Path, vpc)));

        Assert.Contains("192.0.2.0/24", error.Message);
        Assert.DoesNotContain(await NetworkTraces.OfAsync("moto-boot", _state.Path, vpc), t => !t.StartsWith("route ", StringComparison.Ordinal));
    }

    /// <summary>One instance per zone, each in its own subnet, at the subnet's .10, with <see cref="Script"/> as user-data.</summary>
    private async Task<List<(string Id, IPAddress Address, string Zone)>> LaunchInMotoAsync(Cidr vpc)
    {
        var vpcId = (await _clients.Ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = vpc.ToString() })).Vpc.VpcId;
        var launched = new List<(string, IPAddress, string)>();
        foreach (var zone in (int[])[0, 1, 2])
        {
            var subnet = vpc.Subnet(4, zone);
            var zoneName = $"{MotoServer.Region}{(char)('a' + zone)}";
            var subnetId = (await _clients.Ec2.CreateSubnetAsync(new CreateSubnetRequest
            {
                VpcId = vpcId, CidrBlock = subnet.ToString(), AvailabilityZone = zoneName,
            })).Subnet.SubnetId;
            var address = subnet.AddressAt(10);
            var instance = (await _clients.Ec2.RunInstancesAsync(new RunInstancesRequest
            {
                ImageId = "ami-1e749f67",
                InstanceType = InstanceType.T3Small,
                MinCount = 1,
                MaxCount = 1,
                SubnetId = subnetId,
                PrivateIpAddress = address.ToString(),
                UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(Script)),
                TagSpecifications =
                [
                    new TagSpecification
                    {
                        ResourceType = ResourceType.Instance,
                        Tags = [new Tag(ClusterTags.Cluster, "moto-boot"), new Tag(ClusterTags.Role, "etcd"), new Tag(ClusterTags.Slot, $"etcd-{zone}")],
                    },
                ],
            })).Reservation.Instances[0];
            launched.Add((instance.InstanceId, address, zoneName));
        }
        return launched;
    }
}
