using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// What a round must do to bring the cluster from the record to the set: apply every object whose body is new or
/// changed (in the set's order), then delete every recorded object the set no longer has (last recorded first).
/// </summary>
public sealed record AddonApplyPlan(IReadOnlyList<AddonObject> ToApply, IReadOnlyList<string> ToDelete)
{
    public bool IsEmpty => ToApply.Count == 0 && ToDelete.Count == 0;

    public static AddonApplyPlan Between(IReadOnlyList<AddonObject> objects, AppliedRecord record)
    {
        var toApply = objects.Where(o => record.Objects.GetValueOrDefault(o.Path) != AddonHashes.OfObject(o.Json)).ToList();
        var kept = objects.Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
        var toDelete = record.Objects.Keys.Where(path => !kept.Contains(path)).Reverse().ToList();
        return new AddonApplyPlan(toApply, toDelete);
    }
}
