using System.Text.Json.Serialization;

namespace Kubes.Controller.Artifacts;

/// <summary>Where a pinned digest comes from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PinSource>))]
public enum PinSource
{
    /// <summary>The project's published checksum file, read over HTTPS.</summary>
    Upstream,
    /// <summary>An operator's file, verified against the SHA256SUMS they brought with it.</summary>
    Import,
    /// <summary>This machine's Debian packages, packed in the upstream layout (local provider only).</summary>
    HostPackage,
    /// <summary>No file: the instance installs its distribution's packages (<see cref="DistributionEntry"/>).</summary>
    Distribution,
    /// <summary>
    /// The file as first read over HTTPS, where the project publishes no checksum (<see cref="CatalogueEntry.PinnedOnFirstFetch"/>):
    /// trust on first fetch, after which other bytes at that URL are refused like a changed checksum.
    /// </summary>
    FirstFetch,
}

/// <summary>
/// The one file instances get for an artifact, by its SHA-256: the file name and version, where the digest came from
/// (<see cref="Evidence"/>: the checksum file's URL, the SHA256SUMS imported, or the packages and their versions), the
/// canonical upstream URL for upstream files, and the mirror key once the state store holds the bytes.
/// </summary>
public sealed record ArtifactPin
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string File { get; init; }
    public required string Sha256 { get; init; }
    public required PinSource Source { get; init; }
    public string Url { get; init; } = "";
    public string Evidence { get; init; } = "";
    public string MirrorKey { get; init; } = "";
    public DateTimeOffset PinnedAt { get; init; }

    public bool IsMirrored => MirrorKey.Length > 0;

    /// <summary>Whether the digest was read over the network from where the project publishes (its checksum file, or the file itself).</summary>
    public bool IsFromUpstream => Source is PinSource.Upstream or PinSource.FirstFetch;

    /// <summary>Whether this is the very file <paramref name="other"/> pins, wherever either found its digest.</summary>
    public bool SameFileAs(ArtifactPin other) =>
        Name == other.Name && Version == other.Version && File == other.File && Sha256 == other.Sha256;
}
