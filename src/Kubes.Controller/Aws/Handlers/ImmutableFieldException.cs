using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>The live resource differs in a field AWS cannot change in place.</summary>
public sealed class ImmutableFieldException(ActualResource actual, IReadOnlyList<FieldChange> changes)
    : Exception($"{actual.Key} ({actual.Id}) differs in {string.Join(", ", changes.Select(c => $"{c.Field} ({c.From} -> {c.To})"))}, " +
                "which AWS cannot change in place: restore the spec's old value, or delete the resource and run 'kubes up' again");
