namespace Kubes.StandIns;

/// <summary>The reference lists embedded in the stand-ins (Reference/**/*.tsv, named by their path under Reference/).</summary>
public static class ReferenceData
{
    public static IEnumerable<string> Names(string folder) =>
        typeof(ReferenceData).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(folder, StringComparison.Ordinal));

    public static string Read(string name)
    {
        using var stream = typeof(ReferenceData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the stand-ins hold no reference file {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
