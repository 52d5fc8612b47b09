using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Kubes.Controller.Spec;

/// <summary>
/// A read-only map with string keys, kept in ordinal key order, that compares by its entries. Spec records store their
/// maps as this type so that two specs with the same content are equal, and so that whatever reads or writes one sees
/// the same order every time.
/// </summary>
public sealed class EquatableMap<TValue> : IReadOnlyDictionary<string, TValue>, IEquatable<EquatableMap<TValue>>
{
    private readonly SortedDictionary<string, TValue> entries;

    public EquatableMap(IEnumerable<KeyValuePair<string, TValue>> entries) =>
        this.entries = new SortedDictionary<string, TValue>(entries.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal);

    public static EquatableMap<TValue> Empty { get; } = new([]);

    public int Count => entries.Count;

    public TValue this[string key] => entries[key];

    public IEnumerable<string> Keys => entries.Keys;

    public IEnumerable<TValue> Values => entries.Values;

    public bool ContainsKey(string key) => entries.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) => entries.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(EquatableMap<TValue>? other) =>
        other is not null && entries.Count == other.entries.Count
        && entries.All(e => other.entries.TryGetValue(e.Key, out var value) && EqualityComparer<TValue>.Default.Equals(e.Value, value));

    public override bool Equals(object? obj) => obj is EquatableMap<TValue> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in entries)
        {
            hash.Add(key, StringComparer.Ordinal);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => $"{{{string.Join(", ", entries.Select(e => $"{e.Key}: {e.Value}"))}}}";
}

public static class EquatableMap
{
    /// <summary>Wraps <paramref name="entries"/> unless it already is an <see cref="EquatableMap{TValue}"/>.</summary>
    public static EquatableMap<TValue> Of<TValue>(IEnumerable<KeyValuePair<string, TValue>> entries) =>
        entries as EquatableMap<TValue> ?? new EquatableMap<TValue>(entries);
}
