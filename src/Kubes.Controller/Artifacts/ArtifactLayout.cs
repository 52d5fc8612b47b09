namespace Kubes.Controller.Artifacts;

/// <summary>How a release file is made: a program on its own, a gzip'd tar of programs, or a manifest of Kubernetes objects
/// (YAML text, which the coordinator reads; no instance installs it).</summary>
public enum ArtifactPacking { Program, TarGz, Manifest }

/// <summary>
/// What an artifact file holds: for <see cref="ArtifactPacking.TarGz"/> the programs Kubes installs from it and the
/// folder they sit in (placeholders as in <see cref="CatalogueEntry.UrlPattern"/>; empty for the archive's root); for
/// <see cref="ArtifactPacking.Program"/> the name the one program is installed as.
/// </summary>
public sealed record ArtifactLayout(ArtifactPacking Packing, string Folder, IReadOnlyList<string> Programs)
{
    public static ArtifactLayout Program(string installedAs) => new(ArtifactPacking.Program, "", [installedAs]);

    public static ArtifactLayout TarGz(string folder, params string[] programs) => new(ArtifactPacking.TarGz, folder, programs);

    public static ArtifactLayout Manifest { get; } = new(ArtifactPacking.Manifest, "", []);

    public string Describe(string version, string arch) => Packing switch
    {
        ArtifactPacking.Program => $"the program {Programs[0]}",
        ArtifactPacking.Manifest => "a manifest of Kubernetes objects (UTF-8 YAML)",
        _ => $"tar.gz: {string.Join(", ", Programs.Select(p => Folder.Length == 0 ? p : $"{CatalogueEntry.Expand(Folder, version, arch)}/{p}"))}",
    };
}
