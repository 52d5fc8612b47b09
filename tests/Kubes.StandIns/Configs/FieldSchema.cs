using System.Text.RegularExpressions;

namespace Kubes.StandIns.Configs;

/// <summary>
/// The fields a config file kind has (Reference/fields/&lt;Kind&gt;.fields.tsv): dotted paths, <c>x[]</c> for a list's
/// elements, <c>x{}</c> for a map's values, with their type words, and the apiVersion and kind the file must carry.
/// </summary>
public sealed partial class FieldSchema
{
    private readonly Dictionary<string, string> _types;

    private FieldSchema(string kind, string apiVersion, Dictionary<string, string> types)
    {
        Kind = kind;
        ApiVersion = apiVersion;
        _types = types;
    }

    public string Kind { get; }

    public string ApiVersion { get; }

    public string? TypeOf(string path) => _types.GetValueOrDefault(path);

    /// <summary>Whether the schema lists fields below <paramref name="path"/> (with this separator: ".", "[]" or "{}").</summary>
    public bool Expands(string path, string separator)
    {
        var prefix = path.Length == 0 ? "" : path + separator;
        return _types.Keys.Any(p => separator == "." ? p.StartsWith(prefix, StringComparison.Ordinal) && p != path
            : p == prefix || p.StartsWith(prefix, StringComparison.Ordinal));
    }

    public static FieldSchema For(string kind)
    {
        var tsv = ReferenceData.Read($"fields/{kind}.fields.tsv");
        var fixedValues = FixedValues().Match(tsv);
        if (!fixedValues.Success) throw new InvalidOperationException($"fields/{kind}.fields.tsv names no fixed apiVersion and kind");
        // The kubeconfig page prints its group-less version as "/v1"; files say "v1".
        var apiVersion = fixedValues.Groups["version"].Value.TrimStart('/');
        var types = tsv.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .ToDictionary(columns => columns[0], columns => columns[1], StringComparer.Ordinal);
        return new FieldSchema(fixedValues.Groups["kind"].Value, apiVersion, types);
    }

    [GeneratedRegex(@"fixed values: apiVersion=(?<version>\S+) kind=(?<kind>\S+)")]
    private static partial Regex FixedValues();
}
