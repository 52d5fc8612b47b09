using System.Text.RegularExpressions;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// One artifact of one release: where it is published (<c>{version}</c> and <c>{arch}</c> stand for the release and
/// the architecture), where its checksum is and in which format, what the file holds, which Debian packages can stand
/// for it on the local provider, and where these facts come from.
/// </summary>
public sealed record CatalogueEntry
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string UrlPattern { get; init; }
    /// <summary>
    /// Where the project publishes the file's SHA-256; null where it publishes none (Calico's and Flannel's manifests):
    /// then the digest of the file as first fetched is pinned, and every later fetch must give the same bytes.
    /// </summary>
    public required ChecksumLocation? Checksum { get; init; }
    public required ArtifactLayout Layout { get; init; }
    public HostPackage? HostPackage { get; init; }
    /// <summary>
    /// A tool for operators on the instance (crictl), not a part the cluster runs: where this machine's packages stand
    /// in for the catalogue and none provides it, the cluster goes without it instead of missing it.
    /// </summary>
    public bool OperatorTool { get; init; }

    /// <summary>Whether the local provider goes on without an operator providing it: this machine's package, or an operator's tool.</summary>
    public bool LocalProviderNeedsNoImport => HostPackage is not null || OperatorTool;
    /// <summary>The pod network this file is for (its manifest); null for what every cluster runs.</summary>
    public CniKind? Cni { get; init; }

    /// <summary>Whether a cluster with this pod network needs the file.</summary>
    public bool UsedWith(CniKind cni) => Cni is null || Cni == cni;

    /// <summary>Whether the project publishes no checksum for the file, so that its first fetch decides the pin.</summary>
    public bool PinnedOnFirstFetch => Checksum is null;

    /// <summary>The documents the URL, layout and checksum facts were read from.</summary>
    public required string Source { get; init; }

    public static string Expand(string pattern, string version, string arch) =>
        pattern.Replace("{version}", version, StringComparison.Ordinal).Replace("{arch}", arch, StringComparison.Ordinal);

    public Uri UrlFor(string arch) => new(Expand(UrlPattern, Version, arch));

    public Uri ChecksumUrlFor(string arch) => Checksum is null
        ? throw new InvalidOperationException($"{Name} has no published checksum; its first fetch is pinned")
        : new(Expand(Checksum.UrlPattern.Replace("{url}", UrlPattern, StringComparison.Ordinal), Version, arch));

    /// <summary>The file's name: the last segment of its URL.</summary>
    public string FileNameFor(string arch) => FileNameFor(Version, arch);

    public string FileNameFor(string version, string arch) => Expand(FileNamePattern, version, arch);

    public string FileNamePattern => UrlPattern[(UrlPattern.LastIndexOf('/') + 1)..];

    /// <summary>Whether the name says which version and architecture the file is for (kube-apiserver's does not).</summary>
    public bool NameCarriesVersion => FileNamePattern.Contains("{version}", StringComparison.Ordinal);

    public bool NameCarriesArch => FileNamePattern.Contains("{arch}", StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="fileName"/> is this entry's file, for any version: the version and architecture its
    /// name carries (null where the name carries none).
    /// </summary>
    public bool Matches(string fileName, out string? version, out string? arch)
    {
        var pattern = "^" + Regex.Escape(FileNamePattern)
            .Replace(Regex.Escape("{version}"), @"(?<version>\d+\.\d+\.\d+)", StringComparison.Ordinal)
            .Replace(Regex.Escape("{arch}"), $"(?<arch>{string.Join('|', CpuArchitecture.All)})", StringComparison.Ordinal) + @"\z";
        var match = Regex.Match(fileName, pattern, RegexOptions.CultureInvariant);
        version = match.Groups["version"] is { Success: true } v ? v.Value : null;
        arch = match.Groups["arch"] is { Success: true } a ? a.Value : null;
        return match.Success;
    }

    /// <summary>The same artifact at another version (what an import brings may differ from the catalogue's).</summary>
    public CatalogueEntry AtVersion(string version) => this with { Version = version };
}
