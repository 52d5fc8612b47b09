using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kubes.Controller.Spec;

/// <summary>
/// Reads the fields of one YAML mapping of the spec, one typed getter per field. A field that is absent,
/// null or wrong yields null (the caller keeps the default) and a wrong one adds a problem, so reading
/// goes on and every problem of the file is reported at once. Keys never asked for are reported by
/// <see cref="RejectUnknownKeys"/>.
/// </summary>
internal sealed class SpecMappingReader
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    // Fields of older specs: reported by Renamed, never offered as a spelling or listed among the fields.
    private readonly HashSet<string> retired = new(StringComparer.Ordinal);
    private readonly List<SpecProblem> problems;
    private readonly SpecLocations locations;

    private SpecMappingReader(string path, List<SpecProblem> problems, SpecLocations locations)
    {
        Path = path;
        this.problems = problems;
        this.locations = locations;
    }

    public string Path { get; }

    /// <summary>Reads <paramref name="node"/> as a mapping; null (the field is absent or null) reads as an empty one.</summary>
    public static SpecMappingReader Of(YamlNode? node, string path, List<SpecProblem> problems, SpecLocations locations)
    {
        var reader = new SpecMappingReader(path, problems, locations);
        switch (node)
        {
            case null:
                break;
            case YamlMappingNode mapping:
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { Length: > 0 } name } scalar)
                    {
                        reader.entries[name] = (scalar, value);
                        locations.Add(Join(path, name), (int)value.Start.Line, (int)value.Start.Column);
                    }
                    else
                    {
                        reader.Problem(path, key.Start, "a key must be a plain field name");
                    }
                }
                break;
            default:
                reader.Problem(path, node.Start, $"expected a mapping of fields, got {Describe(node)}");
                break;
        }
        return reader;
    }

    public SpecMappingReader Mapping(string key) => Of(Take(key), Join(Path, key), problems, locations);

    public string? String(string key) => Take(key) is { } node ? ScalarText(node, Join(Path, key), "a string") : null;

    /// <summary>A string that is always reported when absent (metadata.name, apiVersion, kind).</summary>
    public string? RequiredString(string key, string hint)
    {
        var value = String(key);
        if (value is null && !HasWrongValue(key))
            Problem(Join(Path, key), LocationOf(key), $"is required; {hint}");
        return value;
    }

    public int? Int(string key)
    {
        if (Take(key) is not { } node) return null;
        var path = Join(Path, key);
        if (node is not YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text })
        {
            Wrong(path, node, "a whole number");
            return null;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        var message = text.Length > 0 && text.TrimStart('+', '-').All(char.IsAsciiDigit)
            ? $"{text} is too large for a whole number of this field"
            : $"expected a whole number, got '{text}'";
        Problem(path, node.Start, message);
        return null;
    }

    /// <summary>A duration such as <c>365d</c>, <c>8760h</c> or <c>10m</c> (<see cref="Spec.Lifetime"/>).</summary>
    public Spec.Lifetime? Lifetime(string key)
    {
        if (Take(key) is not { } node) return null;
        var path = Join(Path, key);
        if (ScalarText(node, path, $"a lifetime, {Spec.Lifetime.Syntax}") is not { } text) return null;
        if (Spec.Lifetime.TryParse(text, out var lifetime)) return lifetime;
        Problem(path, node.Start, $"'{text}' is not a lifetime: write {Spec.Lifetime.Syntax}");
        return null;
    }

    /// <summary>
    /// A field an older spec had, under its new name: reported with the line to write instead (<paramref name="convert"/>
    /// turns its value into the new field's), so the old spelling is never silently ignored.
    /// </summary>
    public void Renamed(string oldKey, string newKey, Func<string, string> convert)
    {
        retired.Add(oldKey);
        if (!entries.TryGetValue(oldKey, out var entry)) return;
        var replacement = entry.Value is YamlScalarNode { Style: ScalarStyle.Plain, Value: { Length: > 0 } value } && value.All(char.IsAsciiDigit)
            ? $"{newKey}: {convert(value)}"
            : newKey;
        Problem(Join(Path, oldKey), entry.Key.Start, $"was renamed; write '{replacement}' instead");
    }

    public bool? Bool(string key)
    {
        if (Take(key) is not { } node) return null;
        var path = Join(Path, key);
        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text })
        {
            if (text is "true" or "True" or "TRUE") return true;
            if (text is "false" or "False" or "FALSE") return false;
            Problem(path, node.Start, $"expected true or false, got '{text}'");
            return null;
        }
        Wrong(path, node, "true or false");
        return null;
    }

    public T? Enum<T>(string key, SpecEnumNames<T> names) where T : struct, Enum
    {
        if (Take(key) is not { } node) return null;
        var path = Join(Path, key);
        if (ScalarText(node, path, $"one of {names.Alternatives}") is not { } text) return null;
        if (names.TryParse(text, out var value)) return value;
        if (names.RefusalOf(text) is { } reason)
        {
            Problem(path, node.Start, $"'{text}' is not offered: {reason}");
            return null;
        }
        Problem(path, node.Start, $"'{text}' is not one of {names.Alternatives}{SpellingSuggestion.DidYouMean(text, names.Names)}");
        return null;
    }

    /// <summary>A list of strings; each item's location is recorded as <c>path[i]</c>.</summary>
    public IReadOnlyList<string>? StringList(string key)
    {
        if (Take(key) is not { } node) return null;
        var path = Join(Path, key);
        if (node is not YamlSequenceNode sequence)
        {
            Wrong(path, node, "a list, like [a, b]");
            return null;
        }
        var items = new List<string>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var itemPath = $"{path}[{i}]";
            locations.Add(itemPath, (int)item.Start.Line, (int)item.Start.Column);
            if (IsNull(item))
            {
                Problem(itemPath, item.Start, "is empty; remove the item or give it a value");
                ok = false;
            }
            else if (ScalarText(item, itemPath, "a string") is { } text) items.Add(text);
            else ok = false;
        }
        return ok ? items : null;
    }

    /// <summary>
    /// Every key of this mapping, in file order, each counted as known: for mappings whose keys are names the operator
    /// chooses (components, flags), which the validator checks with their locations.
    /// </summary>
    public IReadOnlyList<string> Keys()
    {
        foreach (var name in entries.Keys) known.Add(name);
        return [.. entries.Keys];
    }

    /// <summary>
    /// A mapping of names to text (flags and their values): any scalar reads as its text, so <c>8589934592</c> and
    /// <c>true</c> need no quotes. Each entry's location is recorded as <c>path.name</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? StringMap(string key)
    {
        if (Take(key) is not { } node) return null;
        var map = Of(node, Join(Path, key), problems, locations);
        if (node is not YamlMappingNode) return null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        foreach (var name in map.Keys())
        {
            var (_, value) = map.entries[name];
            var path = Join(map.Path, name);
            if (IsNull(value))
            {
                Problem(path, value.Start, "is empty; give it a value, quoted when it could read as something else, like \"true\"");
                ok = false;
            }
            else if (map.ScalarText(value, path, "a value as text") is { } text) values[name] = text;
            else ok = false;
        }
        return ok ? values : null;
    }

    /// <summary>Runs <paramref name="read"/>, which asks for every field of this mapping, then reports the keys it did not ask for.</summary>
    public T ReadAll<T>(Func<T> read)
    {
        var value = read();
        RejectUnknownKeys();
        return value;
    }

    public void RejectUnknownKeys()
    {
        foreach (var (name, (key, _)) in entries)
        {
            if (known.Contains(name) || retired.Contains(name)) continue;
            var path = Join(Path, name);
            locations.Add(path, (int)key.Start.Line, (int)key.Start.Column);
            var where = Path.Length == 0 ? "at the top level" : $"in {Path}";
            Problem(path, key.Start,
                $"unknown field{SpellingSuggestion.DidYouMean(name, known)}; the fields {where} are {string.Join(", ", known)}");
        }
    }

    public void Problem(string path, Mark at, string message) =>
        problems.Add(new SpecProblem(path, (int)at.Line, (int)at.Column, message));

    private void Problem(string path, (int Line, int Column) at, string message) =>
        problems.Add(new SpecProblem(path, at.Line, at.Column, message));

    private (int Line, int Column) LocationOf(string key) => locations.Find(Join(Path, key));

    private bool HasWrongValue(string key) => entries.TryGetValue(key, out var entry) && !IsNull(entry.Value);

    /// <summary>The value node of <paramref name="key"/>, or null when it is absent or null.</summary>
    private YamlNode? Take(string key)
    {
        known.Add(key);
        return entries.TryGetValue(key, out var entry) && !IsNull(entry.Value) ? entry.Value : null;
    }

    private string? ScalarText(YamlNode node, string path, string expected) =>
        node is YamlScalarNode { Value: { } text } ? text : Wrong(path, node, expected);

    private string? Wrong(string path, YamlNode node, string expected)
    {
        Problem(path, node.Start, $"expected {expected}, got {Describe(node)}");
        return null;
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var v } => $"'{v}'",
        YamlScalarNode { Value: var v } => $"the quoted string \"{v}\"",
        _ => "something else",
    };

    /// <summary>YAML's plain null spellings: an empty value, ~ and null.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
