namespace Kubes.Controller.Reconciler;

/// <summary>A resource's logical identity inside one cluster: <c>subnet/private-us-east-1a</c>. Stored in the
/// <c>kubes.io/resource</c> tag, so live resources are matched to desired ones without a state file.</summary>
public readonly record struct ResourceKey(string Type, string Name) : IComparable<ResourceKey>
{
    public override string ToString() => $"{Type}/{Name}";

    public static ResourceKey Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1) throw new FormatException($"'{text}' is not a resource key (type/name)");
        return new ResourceKey(text[..slash], text[(slash + 1)..]);
    }

    public static bool TryParse(string? text, out ResourceKey key)
    {
        key = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (text is null || slash <= 0 || slash == text.Length - 1) return false;
        key = new ResourceKey(text[..slash], text[(slash + 1)..]);
        return true;
    }

    public int CompareTo(ResourceKey other) => string.CompareOrdinal(ToString(), other.ToString());
}
