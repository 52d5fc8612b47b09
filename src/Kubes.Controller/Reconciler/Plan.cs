namespace Kubes.Controller.Reconciler;

/// <summary>The difference between the desired graph and the live resources.</summary>
public sealed class Plan(IReadOnlyList<ResourceChange> changes, int unchanged)
{
    public IReadOnlyList<ResourceChange> Changes { get; } = changes;

    /// <summary>Desired resources that exist and match.</summary>
    public int Unchanged { get; } = unchanged;

    public bool IsEmpty => Changes.Count == 0;

    public int Count(ChangeAction action) => Changes.Count(c => c.Action == action);
}
