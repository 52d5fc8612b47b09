namespace Kubes.Controller.Artifacts;

/// <summary>An artifact the cluster needs and has no pinned digest for: why, and what the operator runs to provide it.</summary>
public sealed record ArtifactShortfall(string Name, string Version, string Arch, string Reason, string NextStep)
{
    /// <summary>What an operator runs when a file cannot be read where it is published.</summary>
    public const string ProvideSteps =
        "provide it with 'kubes artifacts mirror' (same -f or --local) on a machine with network, "
        + "or 'kubes artifacts import DIR' with the file and a SHA256SUMS beside it";

    /// <summary>The one line <c>kubes up</c> and the artifacts commands print for it.</summary>
    public string Line => $"missing: {Name} {Version} linux/{Arch}: {Reason}; {NextStep}";
}

/// <summary>
/// What a cluster of one Kubernetes version and architecture has pinned (<see cref="NewlyPinned"/>: by this run), and
/// what it still lacks.
/// </summary>
public sealed record PinnedArtifacts(string KubernetesVersion, string Arch, IReadOnlyDictionary<string, ArtifactPin> Pins,
    IReadOnlyList<ArtifactShortfall> Missing, IReadOnlyList<ArtifactPin> NewlyPinned)
{
    public static PinnedArtifacts None(string kubernetesVersion, string arch) =>
        new(kubernetesVersion, arch, new Dictionary<string, ArtifactPin>(), [], []);

    /// <summary>What a command prints about them: one line per new pin, one per missing artifact.</summary>
    public IEnumerable<string> Lines =>
        NewlyPinned.Select(p => $"pinned: {p.Name} {p.Version} linux/{Arch}: sha256 {p.Sha256} ({p.Evidence})")
            .Concat(Missing.Select(m => m.Line));
}

/// <summary>
/// A published checksum changed for a file already pinned: upstream re-released it or someone altered it. Kubes never
/// re-pins silently; the message says what differs and what the operator can do.
/// </summary>
public sealed class ChecksumChangedException(ArtifactPin pinned, string published, Uri checksumUrl) : Exception(
    (pinned.Source == PinSource.FirstFetch
        ? $"{checksumUrl} now serves {pinned.Name} {pinned.Version} ({pinned.File}) with SHA-256 {published}, but {pinned.Sha256} was "
          + $"pinned when it was first fetched on {pinned.PinnedAt:yyyy-MM-dd} (the project publishes no checksum for it): "
        : $"the checksum of {pinned.Name} {pinned.Version} ({pinned.File}) published at {checksumUrl} is now {published}, but "
          + $"{pinned.Sha256} was pinned from {pinned.Evidence} on {pinned.PinnedAt:yyyy-MM-dd}: ")
    + "the project re-published the file or someone altered it. Nothing was pinned or changed. Check the project's release notes; "
    + "to take the new file, import it with 'kubes artifacts import DIR --replace'.")
{
    public ArtifactPin Pinned { get; } = pinned;
    public string Published { get; } = published;
}
