namespace Kubes.StandIns.Flags;

/// <summary>
/// Every flag a component of one Kubernetes minor has, read from the reference lists embedded in the stand-ins
/// (Reference/flags/v&lt;minor&gt;/&lt;component&gt;.flags.tsv; where they come from: Reference/README.md). A minor
/// without its own list for a component takes the newest list of an older minor, and says so in <see cref="Source"/>.
/// </summary>
public sealed class FlagTable
{
    private readonly Dictionary<string, FlagDefinition> _flags;

    private FlagTable(string component, string source, IEnumerable<FlagDefinition> flags)
    {
        Component = component;
        Source = source;
        _flags = flags.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public string Component { get; }

    /// <summary>Which list this is, e.g. "the kube-apiserver flag list of Kubernetes 1.35".</summary>
    public string Source { get; }

    public IReadOnlyCollection<FlagDefinition> All => _flags.Values;

    public FlagDefinition? Find(string name) => _flags.GetValueOrDefault(name);

    /// <summary>The shorthands every component has: -h is --help, -v is --v.</summary>
    public static string? LongNameOf(char shorthand) => shorthand switch { 'h' => "help", 'v' => "v", _ => null };

    public static FlagTable For(string component, KubernetesRelease release)
    {
        var minors = ReferenceData.Names("flags/")
            .Where(n => n.EndsWith($"/{component}.flags.tsv", StringComparison.Ordinal))
            .Select(n => (Name: n, Minor: Version.Parse(n.Split('/')[1].TrimStart('v'))))
            .Where(m => m.Minor <= new Version(release.Major, release.Minor))
            .OrderByDescending(m => m.Minor)
            .ToList();
        if (minors.Count == 0)
            throw new StandInException($"the stand-ins hold no flag list of {component} for Kubernetes {release.MinorVersion} or older");
        var (name, minor) = minors[0];
        var source = minor == new Version(release.Major, release.Minor)
            ? $"the {component} flag list of Kubernetes {minor}"
            : $"the {component} flag list of Kubernetes {minor} (the stand-ins hold none of {release.MinorVersion})";
        return new FlagTable(component, source, Parse(ReferenceData.Read(name)));
    }

    private static IEnumerable<FlagDefinition> Parse(string tsv) =>
        tsv.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .Select(columns => new FlagDefinition(columns[0], columns[1], columns[2] == "yes"));
}
