namespace Kubes.Controller.Reconciler;

/// <summary>
/// Computes the plan: a create for every desired resource without a live match, an update where a live match
/// differs, a delete for every live resource of the cluster that nothing desires (including duplicates left by an
/// interrupted run: the first found is kept).
/// </summary>
public static class Planner
{
    public static Plan Compute(
        IReadOnlyList<DesiredResource> desired,
        IReadOnlyList<ActualResource> actual,
        IReadOnlyDictionary<string, IResourceHandler> handlers)
    {
        var ids = new ResolvedIds(actual);
        var live = new Dictionary<ResourceKey, ActualResource>();
        var changes = new List<ResourceChange>();
        foreach (var resource in actual)
        {
            if (!live.TryAdd(resource.Key, resource))
                changes.Add(new ResourceChange(ChangeAction.Delete, resource.Key, null, resource,
                    [new FieldChange("duplicate", resource.Id, null)]));
        }

        var wanted = new HashSet<ResourceKey>();
        var unchanged = 0;
        foreach (var resource in desired)
        {
            if (!wanted.Add(resource.Key))
                throw new InvalidOperationException($"the desired graph names {resource.Key} twice");
            if (!live.TryGetValue(resource.Key, out var match))
            {
                changes.Add(new ResourceChange(ChangeAction.Create, resource.Key, resource, null,
                    resource.Describe().Select(p => new FieldChange(p.Name, null, p.Value)).ToList()));
                continue;
            }
            var fields = HandlerFor(handlers, resource.Key).Diff(resource, match, ids);
            if (fields.Count == 0) unchanged++;
            else changes.Add(new ResourceChange(ChangeAction.Update, resource.Key, resource, match, fields));
        }

        foreach (var (key, resource) in live)
        {
            if (!wanted.Contains(key))
                changes.Add(new ResourceChange(ChangeAction.Delete, key, null, resource, []));
        }
        return new Plan(changes, unchanged);
    }

    /// <summary>The plan of a cluster that does not exist yet: every desired resource is created.</summary>
    public static Plan Offline(IReadOnlyList<DesiredResource> desired) =>
        Compute(desired, [], new Dictionary<string, IResourceHandler>());

    internal static IResourceHandler HandlerFor(IReadOnlyDictionary<string, IResourceHandler> handlers, ResourceKey key) =>
        handlers.TryGetValue(key.Type, out var handler)
            ? handler
            : throw new InvalidOperationException($"no handler for resource type '{key.Type}'");
}
