namespace Kubes.Controller.Artifacts;

/// <summary>One program a Debian package installs on this machine.</summary>
public sealed record HostFile(string DebianPackage, string Path)
{
    public string Program => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// How this machine's Debian packages can stand for a catalogue entry when the provider is local: the files that make
/// it, each from its package. <see cref="HostPackagePacker"/> packs them in the entry's upstream layout.
/// </summary>
public sealed record HostPackage(IReadOnlyList<HostFile> Files)
{
    public IEnumerable<string> DebianPackages => Files.Select(f => f.DebianPackage).Distinct();

    public string InstallCommand => $"apt-get install {string.Join(' ', DebianPackages)}";
}
