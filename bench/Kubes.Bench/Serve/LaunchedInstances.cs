using System.Security.Cryptography;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Serve;

/// <summary>
/// The instance directory of the run: one running instance per chosen slot, tagged for it, at the slot's loopback
/// address, as EC2 or the local provider would report them. Filled before the run, read-only during it.
/// </summary>
public sealed class LaunchedInstances : IInstanceDirectory
{
    private readonly Dictionary<string, InstanceRecord> _instances = new(StringComparer.Ordinal);

    public LaunchedInstances(string cluster, IEnumerable<InstanceSlot> slots)
    {
        foreach (var slot in slots)
        {
            var address = slot.PrivateIp
                ?? throw new ArgumentException($"slot {slot.Name} has no fixed loopback address; use a local-provider spec");
            var id = "i-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];
            _instances[id] = new InstanceRecord(id, InstanceState.Running, address, new Dictionary<string, string>
            {
                [InstanceTags.Cluster] = cluster,
                [InstanceTags.Role] = slot.Role.TagValue(),
                [InstanceTags.Slot] = slot.Name,
            });
            Launched.Add((id, slot));
        }
    }

    public List<(string InstanceId, InstanceSlot Slot)> Launched { get; } = [];

    public Task<InstanceRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_instances.GetValueOrDefault(instanceId));

    /// <summary>Loopback instances have no EBS volumes, as on the local provider.</summary>
    public Task<IReadOnlyList<string>> FindDataVolumesAsync(string cluster, string slotName,
        CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);
}
