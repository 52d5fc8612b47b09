using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Registrar;
using Kubes.Controller.Tests.Channels;
using InstanceState = Kubes.Controller.Registrar.InstanceState;

namespace Kubes.Controller.Tests.Registrar;

[Collection(MotoRegistrarCollection.Name)]
public sealed class Ec2InstanceDirectoryTests : IAsyncLifetime
{
    private readonly MotoS3Fixture _moto;
    private readonly AmazonEC2Client _ec2;

    public Ec2InstanceDirectoryTests(MotoS3Fixture moto)
    {
        _moto = moto;
        _ec2 = moto.CreateEc2Client();
    }

    public Task InitializeAsync() => _moto.ResetAsync();

    public Task DisposeAsync()
    {
        _ec2.Dispose();
        return Task.CompletedTask;
    }

    private async Task<Instance> LaunchAsync()
    {
        var image = (await _ec2.DescribeImagesAsync(new DescribeImagesRequest())).Images[0].ImageId;
        var response = await _ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = image,
            InstanceType = InstanceType.T3Medium,
            MinCount = 1,
            MaxCount = 1,
            TagSpecifications =
            [
                new TagSpecification
                {
                    ResourceType = ResourceType.Instance,
                    Tags =
                    [
                        new Tag(InstanceTags.Cluster, "prod"),
                        new Tag(InstanceTags.Role, "etcd"),
                        new Tag(InstanceTags.Slot, "etcd-0"),
                    ],
                },
            ],
        });
        return response.Reservation.Instances[0];
    }

    [Fact]
    public async Task Finds_a_running_instance_with_its_address_and_tags()
    {
        var launched = await LaunchAsync();
        var found = await new Ec2InstanceDirectory(_ec2).FindAsync(launched.InstanceId);

        Assert.NotNull(found);
        Assert.Equal(InstanceState.Running, found.State);
        Assert.Equal(IPAddress.Parse(launched.PrivateIpAddress), found.PrivateIp);
        Assert.Equal("prod", found.Tags[InstanceTags.Cluster]);
        Assert.Equal("etcd-0", found.Tags[InstanceTags.Slot]);
    }

    private async Task<string> CreateVolumeAsync(string cluster, string slot, bool dataVolume = true)
    {
        List<Tag> tags = [new Tag(InstanceTags.Cluster, cluster), new Tag(InstanceTags.Slot, slot)];
        // Data volumes are resources of the cluster; root volumes carry the slot tags too, but come and go with their instance.
        if (dataVolume) tags.Add(new Tag("kubes.io/resource", $"volume/{slot}-data"));
        var volume = await _ec2.CreateVolumeAsync(new CreateVolumeRequest
        {
            AvailabilityZone = "us-east-1a",
            Size = 1,
            TagSpecifications =
            [
                new TagSpecification
                {
                    ResourceType = ResourceType.Volume,
                    Tags = tags,
                },
            ],
        });
        return volume.Volume.VolumeId;
    }

    [Fact]
    public async Task Finds_a_slots_data_volume_by_its_cluster_and_slot_tags_not_its_root_volume()
    {
        var mine = await CreateVolumeAsync("prod", "etcd-0");
        await CreateVolumeAsync("prod", "etcd-1");
        await CreateVolumeAsync("staging", "etcd-0");
        await CreateVolumeAsync("prod", "etcd-0", dataVolume: false);
        var deleted = await CreateVolumeAsync("prod", "etcd-0");
        await _ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = deleted });
        var directory = new Ec2InstanceDirectory(_ec2);

        Assert.Equal([mine], await directory.FindDataVolumesAsync("prod", "etcd-0"));
        Assert.Empty(await directory.FindDataVolumesAsync("prod", "etcd-2"));
    }

    [Fact]
    public async Task A_terminated_instance_is_terminated()
    {
        var launched = await LaunchAsync();
        await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [launched.InstanceId] });
        var found = await new Ec2InstanceDirectory(_ec2).FindAsync(launched.InstanceId);
        Assert.Equal(InstanceState.Terminated, found?.State);
    }

    [Theory]
    [InlineData("i-0123456789abcdef0")]
    [InlineData("i-zz")]
    [InlineData("not an id")]
    public async Task An_instance_that_does_not_exist_is_null(string instanceId)
    {
        Assert.Null(await new Ec2InstanceDirectory(_ec2).FindAsync(instanceId));
    }
}
