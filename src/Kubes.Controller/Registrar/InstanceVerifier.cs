using Grpc.Core;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Proves an instance is what it claims: it exists and runs, is tagged for this cluster with the
/// claimed role and slot, the cluster has that slot, and, when the channel knows the peer, the
/// request comes from the instance's own private address. A node of an Auto Scaling group has no
/// slot tag: it is placed by the zone it runs in and named by its instance id. For a slot with a data
/// volume it also finds that volume, so the agent is told which device is its own.
/// </summary>
public sealed class InstanceVerifier
{
    private readonly ClusterTopology _topology;
    private readonly IInstanceDirectory _directory;

    public InstanceVerifier(ClusterTopology topology, IInstanceDirectory directory)
    {
        _topology = topology;
        _directory = directory;
    }

    private string Cluster => _topology.Spec.Name;

    public async Task<VerifiedInstance> VerifyAsync(string instanceId, InstanceRole role, int slotIndex, PeerInfo? peer,
        CancellationToken cancellationToken = default)
    {
        var claimedSlot = $"{role.TagValue()}-{slotIndex}";
        var instance = await FindRunningAsync(instanceId, role, cancellationToken);
        if (role == InstanceRole.Node && _topology.NodeGroup is { } group)
        {
            if (slotIndex != NodeGroup.SlotIndex)
                throw Refuse(StatusCode.PermissionDenied,
                    $"instance {instanceId} claims slot {claimedSlot}, but the nodes of cluster {Cluster} are an Auto Scaling group " +
                    $"and join as slot {NodeGroup.SlotIndex}");
            var zone = group.ZoneNamed(instance.AvailabilityZone)
                ?? throw Refuse(StatusCode.PermissionDenied,
                    $"instance {instanceId} runs in zone '{instance.AvailabilityZone}', which is not one of cluster {Cluster}'s zones");
            return new VerifiedInstance(Cluster, instance.InstanceId, group.PlaceIn(zone), AddressOf(instance, peer), InGroup: true);
        }
        if (TagOf(instance, InstanceTags.Slot) != claimedSlot)
        {
            throw Refuse(StatusCode.PermissionDenied,
                $"instance {instanceId} claims slot {claimedSlot} but is tagged " +
                $"{InstanceTags.Slot}='{TagOf(instance, InstanceTags.Slot)}'");
        }
        var slot = _topology.FindSlot(role, slotIndex)
            ?? throw Refuse(StatusCode.PermissionDenied,
                $"cluster {Cluster} has no slot {claimedSlot} in its spec (instance {instanceId} may be left over from a larger spec)");
        return new VerifiedInstance(Cluster, instance.InstanceId, slot, AddressOf(instance, peer),
            DataVolumeId: slot.HasDataVolume ? await DataVolumeOfAsync(slot, cancellationToken) : null);
    }

    private async Task<string?> DataVolumeOfAsync(InstanceSlot slot, CancellationToken cancellationToken)
    {
        var volumes = await _directory.FindDataVolumesAsync(Cluster, slot.Name, cancellationToken);
        return volumes.Count switch
        {
            0 => null,
            1 => volumes[0],
            _ => throw Refuse(StatusCode.FailedPrecondition,
                $"slot {slot.Name} has {volumes.Count} data volumes tagged {InstanceTags.Cluster}={Cluster} " +
                $"{InstanceTags.Slot}={slot.Name} ({string.Join(", ", volumes)}); keep the one with the data, delete the others"),
        };
    }

    /// <summary>The instance exists, runs, and is tagged for this cluster and <paramref name="role"/>.</summary>
    private async Task<InstanceRecord> FindRunningAsync(string instanceId, InstanceRole role, CancellationToken cancellationToken)
    {
        var instance = await _directory.FindAsync(instanceId, cancellationToken)
            ?? throw Refuse(StatusCode.NotFound,
                $"instance {instanceId} does not exist in the cloud account and region this coordinator uses");
        if (instance.State != InstanceState.Running)
        {
            throw Refuse(StatusCode.FailedPrecondition,
                $"instance {instanceId} is {instance.State.ToString().ToLowerInvariant()}, not running");
        }
        if (TagOf(instance, InstanceTags.Cluster) != Cluster)
        {
            throw Refuse(StatusCode.PermissionDenied,
                $"instance {instanceId} is not tagged {InstanceTags.Cluster}={Cluster} " +
                $"(it has '{TagOf(instance, InstanceTags.Cluster)}')");
        }
        if (TagOf(instance, InstanceTags.Role) != role.TagValue())
        {
            throw Refuse(StatusCode.PermissionDenied,
                $"instance {instanceId} claims role {role.TagValue()} but is tagged " +
                $"{InstanceTags.Role}='{TagOf(instance, InstanceTags.Role)}'");
        }
        return instance;
    }

    /// <summary>The instance's private address, which must be the peer's when the channel knows the peer.</summary>
    private static System.Net.IPAddress AddressOf(InstanceRecord instance, PeerInfo? peer)
    {
        if (instance.PrivateIp is null)
        {
            throw Refuse(StatusCode.FailedPrecondition, $"instance {instance.InstanceId} has no private address yet");
        }
        if (peer is not null && !peer.Address.Equals(instance.PrivateIp))
        {
            throw Refuse(StatusCode.PermissionDenied,
                $"the request for instance {instance.InstanceId} came from {peer.Address}, not from its private address {instance.PrivateIp}");
        }
        return instance.PrivateIp;
    }

    private static string? TagOf(InstanceRecord instance, string key) => instance.Tags.GetValueOrDefault(key);

    private static RegistrationRefusedException Refuse(StatusCode code, string message) => new(code, message);
}
