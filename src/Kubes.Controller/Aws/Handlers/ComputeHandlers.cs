using System.Text;
using Amazon.EC2;
using Amazon.EC2.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Bootstrap;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>Caches one DescribeInstances and one DescribeVolumes per run, shared by the instance, volume and
/// attachment handlers.</summary>
internal sealed class ComputeInventory(IAmazonEC2 ec2, string cluster)
{
    private Task<List<Instance>>? _instances;
    private Task<List<Volume>>? _volumes;

    public Task<List<Instance>> InstancesAsync(CancellationToken ct) => _instances ??= LoadInstancesAsync(ct);

    public Task<List<Volume>> VolumesAsync(CancellationToken ct) => _volumes ??= LoadVolumesAsync(ct);

    private async Task<List<Instance>> LoadInstancesAsync(CancellationToken ct)
    {
        var instances = new List<Instance>();
        string? token = null;
        do
        {
            var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest
            {
                Filters = Ec2Tagging.ClusterFilter(cluster),
                NextToken = token,
            }, ct);
            instances.AddRange((response.Reservations ?? []).SelectMany(r => r.Instances ?? []));
            token = response.NextToken;
        } while (!string.IsNullOrEmpty(token));
        return instances;
    }

    private async Task<List<Volume>> LoadVolumesAsync(CancellationToken ct)
    {
        var volumes = new List<Volume>();
        string? token = null;
        do
        {
            var response = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest
            {
                Filters = Ec2Tagging.ClusterFilter(cluster),
                NextToken = token,
            }, ct);
            volumes.AddRange(response.Volumes ?? []);
            token = response.NextToken;
        } while (!string.IsNullOrEmpty(token));
        return volumes;
    }

    public static bool IsGone(Instance instance) =>
        instance.State?.Name == InstanceStateName.Terminated || instance.State?.Name == InstanceStateName.ShuttingDown;
}

internal sealed class DataVolumeHandler(IAmazonEC2 ec2, ComputeInventory inventory, AwsWaiter waiter) : IResourceHandler
{
    public string Type => "volume";
    public int DeleteOrder => 30;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct) =>
        [.. (await inventory.VolumesAsync(ct))
            .Where(v => v.State != VolumeState.Deleting && v.State != VolumeState.Deleted && Ec2Tagging.TryKey(v.Tags, out _))
            .Select(v => { Ec2Tagging.TryKey(v.Tags, out var key); return new ActualResource(key, v.VolumeId, v); })];

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (DataVolumeResource)desired;
        var have = (Volume)actual.Native;
        var changes = new List<FieldChange>();
        if (have.AvailabilityZone != want.Slot.Zone.Zone) changes.Add(new("zone", have.AvailabilityZone, want.Slot.Zone.Zone));
        if (have.Size != want.SizeGiB) changes.Add(new("size", $"{have.Size} GiB", $"{want.SizeGiB} GiB"));
        if (have.Encrypted != true) changes.Add(new("encrypted", "false", "true"));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (DataVolumeResource)desired;
        // The client token makes a retry idempotent on AWS; the lookup also covers emulators that ignore it.
        var existing = (await ec2.DescribeVolumesAsync(new DescribeVolumesRequest
            { Filters = Ec2Tagging.KeyFilter(want.Tags[ClusterTags.Cluster], want.Key) }, ct)).Volumes?
            .FirstOrDefault(v => Ec2Tagging.HasKey(v.Tags, want.Tags[ClusterTags.Cluster], want.Key) && v.State != VolumeState.Deleting && v.State != VolumeState.Deleted);
        if (existing is not null) return new ActualResource(want.Key, existing.VolumeId, existing);
        var volume = (await ec2.CreateVolumeAsync(new CreateVolumeRequest
        {
            AvailabilityZone = want.Slot.Zone.Zone,
            Size = want.SizeGiB,
            VolumeType = VolumeType.Gp3,
            Encrypted = true,
            ClientToken = ClientTokens.For(want.Tags[ClusterTags.Cluster], want.Key),
            TagSpecifications = Ec2Tagging.At(ResourceType.Volume, want.Tags),
        }, ct)).Volume;
        return new ActualResource(want.Key, volume.VolumeId, volume);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        var want = (DataVolumeResource)desired;
        var have = (Volume)actual.Native;
        if (changes.Any(c => c.Field != "size") || want.SizeGiB < have.Size)
            throw new ImmutableFieldException(actual, changes);
        await ec2.ModifyVolumeAsync(new ModifyVolumeRequest { VolumeId = actual.Id, Size = want.SizeGiB }, ct);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        // The volume must be detached (its instance terminated, or the attachment deleted) before it can go.
        await waiter.UntilAsync($"volume {actual.Id} to be detached", async token =>
        {
            var volumes = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [actual.Id] }, token);
            return (volumes.Volumes ?? []).All(v => v.State != VolumeState.InUse);
        }, ct);
        await VpcHandler.IgnoreNotFound(() => ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = actual.Id }, ct));
    }
}

internal sealed class InstanceHandler(IAmazonEC2 ec2, string cluster, ComputeInventory inventory, string imageId,
    IInstanceBootstrap bootstrap, AwsWaiter waiter) : IResourceHandler
{
    public string Type => "instance";
    public int DeleteOrder => 20;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct) =>
        [.. (await inventory.InstancesAsync(ct))
            .Where(i => !ComputeInventory.IsGone(i) && Ec2Tagging.TryKey(i.Tags, out _))
            .OrderBy(i => i.LaunchTime)
            .Select(i => { Ec2Tagging.TryKey(i.Tags, out var key); return new ActualResource(key, i.InstanceId, i); })];

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (InstanceResource)desired;
        var have = (Instance)actual.Native;
        var changes = new List<FieldChange>();
        if (want.Slot.PrivateIp is { } ip && have.PrivateIpAddress != ip.ToString())
            changes.Add(new("privateIp", have.PrivateIpAddress, ip.ToString()));
        if (have.InstanceType?.Value != want.Slot.InstanceType)
            changes.Add(new("type", have.InstanceType?.Value, want.Slot.InstanceType));
        if (have.MetadataOptions?.HttpTokens?.Value != "required")
            changes.Add(new("metadata.httpTokens", have.MetadataOptions?.HttpTokens?.Value, "required"));
        if (have.MetadataOptions?.HttpPutResponseHopLimit != 1)
            changes.Add(new("metadata.hopLimit", $"{have.MetadataOptions?.HttpPutResponseHopLimit}", "1"));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (InstanceResource)desired;
        // A slot whose earlier instances were terminated gets a new token, so its replacement is a new launch.
        var generation = (await inventory.InstancesAsync(ct)).Count(i =>
            ComputeInventory.IsGone(i) && Ec2Tagging.TryKey(i.Tags, out var key) && key == want.Key);
        var running = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = Ec2Tagging.KeyFilter(cluster, want.Key) }, ct))
            .Reservations?.SelectMany(r => r.Instances ?? []).FirstOrDefault(i => Ec2Tagging.HasKey(i.Tags, cluster, want.Key) && !ComputeInventory.IsGone(i));
        if (running is not null) return new ActualResource(want.Key, running.InstanceId, running);
        var userData = await bootstrap.UserDataAsync(want.Slot, ct);
        var request = new RunInstancesRequest
        {
            ImageId = imageId,
            InstanceType = want.Slot.InstanceType,
            MinCount = 1,
            MaxCount = 1,
            SubnetId = ids.Require(want.Subnet),
            PrivateIpAddress = want.Slot.PrivateIp?.ToString(),
            SecurityGroupIds = [ids.Require(want.SecurityGroup)],
            IamInstanceProfile = new IamInstanceProfileSpecification { Arn = ids.Require(want.InstanceProfile) },
            UserData = Convert.ToBase64String(Encoding.UTF8.GetBytes(userData)),
            ClientToken = ClientTokens.For(cluster, want.Key, generation),
            MetadataOptions = new InstanceMetadataOptionsRequest
            {
                HttpTokens = HttpTokensState.Required,
                HttpPutResponseHopLimit = 1,
                HttpEndpoint = InstanceMetadataEndpointState.Enabled,
            },
            BlockDeviceMappings =
            [
                new BlockDeviceMapping
                {
                    DeviceName = "/dev/sda1",
                    Ebs = new EbsBlockDevice
                    {
                        VolumeSize = want.Slot.RootVolumeSizeGiB,
                        VolumeType = VolumeType.Gp3,
                        Encrypted = true,
                        DeleteOnTermination = true,
                    },
                },
            ],
            TagSpecifications =
            [
                .. Ec2Tagging.At(ResourceType.Instance, want.Tags),
                // No kubes.io/resource: the root volume comes and goes with its instance, it is no resource of its own.
                .. Ec2Tagging.At(ResourceType.Volume, new Dictionary<string, string>
                {
                    [ClusterTags.Cluster] = cluster,
                    [ClusterTags.Role] = want.Slot.Role.TagValue(),
                    [ClusterTags.Slot] = want.Slot.Name,
                    [ClusterTags.Name] = $"{cluster}-{want.Slot.Name}-root",
                }),
            ],
        };
        var instance = (await ec2.RunInstancesAsync(request, ct)).Reservation.Instances[0];
        await bootstrap.LaunchedAsync(userData, instance.InstanceId, ct);
        return new ActualResource(want.Key, instance.InstanceId, instance);
    }

    public Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        if (changes.All(c => c.Field.StartsWith("metadata", StringComparison.Ordinal)))
            return ec2.ModifyInstanceMetadataOptionsAsync(new ModifyInstanceMetadataOptionsRequest
            {
                InstanceId = actual.Id,
                HttpTokens = HttpTokensState.Required,
                HttpPutResponseHopLimit = 1,
            }, ct);
        throw new ImmutableFieldException(actual, changes);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        await VpcHandler.IgnoreNotFound(() => ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [actual.Id] }, ct));
        await waiter.UntilAsync($"instance {actual.Id} to terminate", async token =>
        {
            var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [actual.Id] }, token);
            return (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])
                .All(i => i.State?.Name == InstanceStateName.Terminated);
        }, ct);
    }
}

/// <summary>
/// A slot's data volume attached to the slot's current instance. Its deletion runs after the instances' (which wait
/// until terminated): detaching a mounted volume from a running instance hangs, while a terminated instance lets go
/// of its volumes by itself. Only what is still attached then is detached; detach needs the instance and device (moto too).
/// </summary>
internal sealed class VolumeAttachmentHandler(IAmazonEC2 ec2, ComputeInventory inventory, AwsWaiter waiter) : IResourceHandler
{
    public string Type => "volume-attachment";
    public int DeleteOrder => 25;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        var found = new List<ActualResource>();
        foreach (var volume in await inventory.VolumesAsync(ct))
        {
            if (!Ec2Tagging.TryKey(volume.Tags, out var key) || key.Type != "volume") continue;
            foreach (var attachment in volume.Attachments ?? [])
            {
                if (attachment.State == AttachmentStatus.Detaching || attachment.State == AttachmentStatus.Detached) continue;
                found.Add(new ActualResource(new ResourceKey("volume-attachment", key.Name), $"{volume.VolumeId}:{attachment.InstanceId}",
                    attachment));
            }
        }
        return found;
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var want = (VolumeAttachmentResource)desired;
        var have = (VolumeAttachment)actual.Native;
        var instance = ids.TryGet(want.Instance, out var id) ? id : want.Instance.ToString();
        return have.InstanceId == instance ? [] : [new FieldChange("instance", have.InstanceId, instance)];
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (VolumeAttachmentResource)desired;
        var volumeId = ids.Require(want.Volume);
        var instanceId = ids.Require(want.Instance);
        await waiter.UntilAsync($"instance {instanceId} to run before attaching {volumeId}", async token =>
        {
            var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, token);
            return (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).All(i => i.State?.Name == InstanceStateName.Running);
        }, ct);
        var attachment = (await ec2.AttachVolumeAsync(new AttachVolumeRequest
        {
            VolumeId = volumeId,
            InstanceId = instanceId,
            Device = want.Device,
        }, ct)).Attachment;
        return new ActualResource(want.Key, $"{volumeId}:{instanceId}", attachment);
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        await DeleteAsync(actual, ct);
        await CreateAsync(desired, ids, ct);
    }

    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        var attachment = (VolumeAttachment)actual.Native;
        var current = await AttachmentToAsync(attachment, ct);
        if (current?.State == AttachmentStatus.Attached)
            await VpcHandler.IgnoreNotFound(() => ec2.DetachVolumeAsync(new DetachVolumeRequest
            {
                VolumeId = attachment.VolumeId,
                InstanceId = attachment.InstanceId,
                Device = current.Device,
            }, ct));
        await waiter.UntilAsync($"volume {attachment.VolumeId} to detach from {attachment.InstanceId}",
            async token => await AttachmentToAsync(attachment, token) is null, ct);
    }

    /// <summary>The volume's attachment to the same instance as it is now, or null once it is gone.</summary>
    private async Task<VolumeAttachment?> AttachmentToAsync(VolumeAttachment attachment, CancellationToken ct)
    {
        var volumes = await ec2.DescribeVolumesAsync(new DescribeVolumesRequest
            { Filters = [new Filter { Name = "volume-id", Values = [attachment.VolumeId] }] }, ct);
        return (volumes.Volumes ?? []).SelectMany(v => v.Attachments ?? [])
            .FirstOrDefault(a => a.InstanceId == attachment.InstanceId && a.State != AttachmentStatus.Detached);
    }
}
