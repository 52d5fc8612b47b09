namespace Kubes.Controller.Reconciler;

/// <summary>A stable topological order of changes: each after what it depends on, otherwise in the given order.</summary>
public static class DependencyOrder
{
    public static IReadOnlyList<ResourceChange> Sort(IReadOnlyList<ResourceChange> changes)
    {
        var byKey = changes.Where(c => c.Action != ChangeAction.Delete).ToDictionary(c => c.Key);
        var ordered = new List<ResourceChange>(changes.Count);
        var visited = new HashSet<ResourceKey>();
        void Visit(ResourceChange change)
        {
            if (!visited.Add(change.Key)) return;
            foreach (var dependency in change.DependsOn)
                if (byKey.TryGetValue(dependency, out var first)) Visit(first);
            ordered.Add(change);
        }
        foreach (var change in changes.Where(c => c.Action != ChangeAction.Delete)) Visit(change);
        ordered.AddRange(changes.Where(c => c.Action == ChangeAction.Delete));
        return ordered;
    }
}
