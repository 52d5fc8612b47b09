namespace Kubes.Controller.Artifacts;

/// <summary>How a project publishes the SHA-256 of its release files.</summary>
public enum ChecksumFormat
{
    /// <summary>The file holds the lowercase hex digest and nothing else (dl.k8s.io's <c>.sha256</c>, crictl's <c>.sha256</c>).</summary>
    BareDigest,

    /// <summary><c>sha256sum</c> output: one "digest, two spaces (or space and '*'), file name" line per file.</summary>
    Sha256Sum,

    /// <summary><see cref="Sha256Sum"/> lines inside an OpenPGP clear-signed message (runc's <c>runc.sha256sum</c>).</summary>
    ClearSignedSha256Sum,
}

/// <summary>Where the checksum of a release file is published (placeholders as in <see cref="CatalogueEntry.UrlPattern"/>,
/// and <c>{url}</c> for the file's own URL) and in which format.</summary>
public sealed record ChecksumLocation(string UrlPattern, ChecksumFormat Format);
