using Grpc.Core;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Proves an instance is what it claims: it exists and runs, is tagged for this cluster with the
/// claimed role and slot, the cluster has that slot, and, when the channel knows the peer, the
/// request comes from the instance's own private address. It also finds the slot's data volume, so the
/// agent is told which device is its own.
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
        if (TagOf(instance, InstanceTags.Slot) != claimedSlot)
        {
            throw Refuse(StatusCode.PermissionDenied,
                $"instance {instanceId} claims slot {claimedSlot} but is tagged " +
                $"{InstanceTags.Slot}='{TagOf(instance, InstanceTags.Slot)}'");
        }
        var slot = _topology.FindSlot(role, slotIndex)
            ?? throw Refuse(StatusCode.PermissionDenied,
                $"cluster {Cluster} has no slot {claimedSlot} in its spec (instance {instanceId} may be left over from a larger spec)");
        if (instance.PrivateIp is null)
        {
            throw Refuse(StatusCode.FailedPrecondition, $"instance {instanceId} has no private address yet");
        }
        if (peer is not null && !peer.Address.Equals(instance.PrivateIp))
        {
            throw Refuse(StatusCode.PermissionDenied,
                $"the request for instance {instanceId} came from {peer.Address}, not from its private address {instance.PrivateIp}");
        }
        return new VerifiedInstance(Cluster, instance.InstanceId, slot, instance.PrivateIp,
            slot.HasDataVolume ? await DataVolumeOfAsync(slot, cancellationToken) : null);
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

    private static string? TagOf(InstanceRecord instance, string key) => instance.Tags.GetValueOrDefault(key);

    private static RegistrationRefusedException Refuse(StatusCode code, string message) => new(code, message);
}
