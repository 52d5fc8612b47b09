using System.Collections.Concurrent;
using Kubes.Controller.Registrar;

namespace Kubes.Controller.Tests.Registrar.Support;

/// <summary>Instances the test declares, standing in for EC2 or the local provider. Tests only.</summary>
public sealed class InMemoryInstanceDirectory : IInstanceDirectory
{
    private readonly ConcurrentDictionary<string, InstanceRecord> _instances = new();

    public void Put(InstanceRecord instance) => _instances[instance.InstanceId] = instance;

    public void SetState(string instanceId, InstanceState state) =>
        _instances[instanceId] = _instances[instanceId] with { State = state };

    public Task<InstanceRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_instances.GetValueOrDefault(instanceId));
}
