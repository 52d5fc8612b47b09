using System.Collections.Concurrent;

namespace Kubes.Controller.Reconciler;

public sealed class ResolvedIds : IResolvedIds
{
    private readonly ConcurrentDictionary<ResourceKey, string> _ids = new();

    public ResolvedIds(IEnumerable<ActualResource> actual)
    {
        foreach (var resource in actual) _ids.TryAdd(resource.Key, resource.Id);
    }

    public bool TryGet(ResourceKey key, out string id) => _ids.TryGetValue(key, out id!);

    public void Set(ResourceKey key, string id) => _ids[key] = id;
}
