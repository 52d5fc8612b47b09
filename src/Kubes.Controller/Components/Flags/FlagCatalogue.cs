using System.Collections.Concurrent;
using System.Reflection;

namespace Kubes.Controller.Components.Flags;

/// <summary>
/// The flag lists embedded in kubes, one file per component per version, found by name: each component folder's
/// <c>Flags/&lt;component&gt;-&lt;version&gt;.flags.tsv</c>. A file starts with <c>#</c> lines naming its source; every
/// other line is a flag's name without dashes, optionally followed by tab-separated columns (type, deprecated) that
/// are documentation. A new component or version is a new file, nothing else.
/// </summary>
public static class FlagCatalogue
{
    private const string ResourcePrefix = "flags/";
    private const string ResourceSuffix = ".flags.tsv";

    private static readonly Assembly Product = typeof(FlagCatalogue).Assembly;
    private static readonly ConcurrentDictionary<string, FlagSet> Loaded = new(StringComparer.Ordinal);

    /// <summary>The component and version of every embedded list.</summary>
    public static IReadOnlyList<(string Component, string Version)> Available { get; } =
    [
        .. Product.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            .Select(name => name[ResourcePrefix.Length..^ResourceSuffix.Length])
            .Select(stem => (Component: stem[..stem.LastIndexOf('-')], Version: stem[(stem.LastIndexOf('-') + 1)..]))
            .Order(),
    ];

    /// <summary>The flags of <paramref name="component"/> at <paramref name="version"/>, or null when kubes has no list for it.</summary>
    public static FlagSet? Find(string component, string version)
    {
        var resource = $"{ResourcePrefix}{component}-{version}{ResourceSuffix}";
        if (Loaded.TryGetValue(resource, out var known)) return known;
        using var stream = Product.GetManifestResourceStream(resource);
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return Loaded.GetOrAdd(resource, new FlagSet(component, version, Parse(reader.ReadToEnd(), resource)));
    }

    /// <summary>The flags of <paramref name="component"/> at <paramref name="version"/>; a missing list is a defect of kubes.</summary>
    public static FlagSet For(string component, string version) =>
        Find(component, version) ?? throw new InvalidOperationException(
            $"kubes embeds no flag list for {component} {version}: add {component}-{version}{ResourceSuffix} to the component's Flags/ folder");

    internal static HashSet<string> Parse(string text, string source)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var content = line.TrimEnd('\r');
            if (content.Length == 0 || content.StartsWith('#')) continue;
            var name = content.Split('\t')[0];
            if (name.Length == 0 || name.StartsWith('-') || name.Any(char.IsWhiteSpace))
                throw new InvalidDataException($"{source}: '{content}' does not start with a flag name without dashes");
            if (!names.Add(name)) throw new InvalidDataException($"{source}: flag {name} is listed twice");
        }
        return names;
    }
}
