namespace Kubes.Controller.Reconciler;

public enum ChangeAction { Create, Update, Delete }

public sealed record FieldChange(string Field, string? From, string? To);

/// <summary>One line of a plan: what happens to one resource, and why.</summary>
public sealed record ResourceChange(
    ChangeAction Action,
    ResourceKey Key,
    DesiredResource? Desired,
    ActualResource? Actual,
    IReadOnlyList<FieldChange> Fields)
{
    public IReadOnlyList<ResourceKey> DependsOn => Desired?.DependsOn ?? [];
}
