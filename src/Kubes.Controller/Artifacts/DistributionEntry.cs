namespace Kubes.Controller.Artifacts;

/// <summary>
/// A program a cluster takes from the distribution its instances run, not from a release Kubes pins: openvpn and
/// OpenSSH follow the distribution's security updates. On AWS the agent installs <see cref="Packages"/> with the
/// distribution's package manager, which checks each package's SHA-256 against the archive's index, itself signed by
/// the distribution's archive key (apt's secure-apt): the provenance is the distribution's, and Kubes pins no digest
/// for it. On the local provider this machine's packages are packed in <see cref="Layout"/> like any host package,
/// pinned by their digest and mirrored.
/// </summary>
/// <param name="Packages">The distribution's packages to install (Debian and Ubuntu names).</param>
/// <param name="FileNamePattern">The name of the file this machine's packages are packed into (<c>{version}</c>, <c>{arch}</c>).</param>
public sealed record DistributionEntry(string Name, IReadOnlyList<string> Packages, HostPackage HostPackage, ArtifactLayout Layout,
    string FileNamePattern, string Source)
{
    public string FileNameFor(string version, string arch) => CatalogueEntry.Expand(FileNamePattern, version, arch);

    /// <summary>What a pin of it says where no file is pinned (AWS).</summary>
    public string Provenance =>
        $"the distribution's package{(Packages.Count > 1 ? "s" : "")} {string.Join(", ", Packages)}, which apt verifies against the "
        + "archive's signed index";
}
