using System.Collections;

namespace Kubes.Controller.Spec;

/// <summary>
/// A read-only list that compares by its items. Spec records store their lists as this type so that
/// two specs with the same content are equal (record equality would otherwise compare list references).
/// </summary>
public sealed class EquatableList<T> : IReadOnlyList<T>, IEquatable<EquatableList<T>>
{
    private readonly T[] items;

    public EquatableList(IEnumerable<T> items) => this.items = items.ToArray();

    public static EquatableList<T> Empty { get; } = new([]);

    public int Count => items.Length;

    public T this[int index] => items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    public bool Equals(EquatableList<T>? other) => other is not null && items.AsSpan().SequenceEqual(other.items);

    public override bool Equals(object? obj) => obj is EquatableList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", items)}]";
}

public static class EquatableList
{
    /// <summary>Wraps <paramref name="items"/> unless it already is an <see cref="EquatableList{T}"/>.</summary>
    public static EquatableList<T> Of<T>(IEnumerable<T> items) =>
        items as EquatableList<T> ?? new EquatableList<T>(items);
}
