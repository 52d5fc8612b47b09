namespace Kubes.Controller.Spec;

/// <summary>
/// Where each field of a loaded spec sits in its file. A field the file does not set is placed at
/// its nearest ancestor that it does set, so every problem points somewhere useful.
/// </summary>
public sealed class SpecLocations
{
    private readonly Dictionary<string, (int Line, int Column)> byPath = new(StringComparer.Ordinal);

    /// <summary>No locations: for specs built in code rather than read from a file.</summary>
    public static SpecLocations None { get; } = new();

    internal void Add(string path, int line, int column) => byPath.TryAdd(path, (line, column));

    public bool Contains(string path) => byPath.ContainsKey(path);

    public (int Line, int Column) Find(string path)
    {
        for (var current = path; ; current = Parent(current))
        {
            if (byPath.TryGetValue(current, out var location)) return location;
            if (current.Length == 0) return (0, 0);
        }
    }

    /// <summary><c>spec.zones[1]</c> → <c>spec.zones</c> → <c>spec</c> → the document itself (empty path).</summary>
    public static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut < 0 ? "" : path[..cut];
    }
}
