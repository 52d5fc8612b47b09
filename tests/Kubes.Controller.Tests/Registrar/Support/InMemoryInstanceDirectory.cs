using System.Collections.Concurrent;
using Kubes.Controller.Registrar;

namespace Kubes.Controller.Tests.Registrar.Support;

/// <summary>Instances the test declares, standing in for EC2 or the local provider. Tests only.</summary>
public sealed class InMemoryInstanceDirectory : IInstanceDirectory
{
    private readonly ConcurrentDictionary<string, InstanceRecord> _instances = new();
    private readonly ConcurrentDictionary<(string Cluster, string Slot), List<string>> _volumes = new();

    public void Put(InstanceRecord instance) => _instances[instance.InstanceId] = instance;

    public void SetState(string instanceId, InstanceState state) =>
        _instances[instanceId] = _instances[instanceId] with { State = state };

    public void PutDataVolume(string cluster, string slotName, string volumeId) =>
        _volumes.AddOrUpdate((cluster, slotName), _ => [volumeId], (_, ids) => [.. ids, volumeId]);

    public Task<IReadOnlyList<string>> FindDataVolumesAsync(string cluster, string slotName,
        CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(_volumes.GetValueOrDefault((cluster, slotName)) ?? []);

    public Task<InstanceRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_instances.GetValueOrDefault(instanceId));
}
