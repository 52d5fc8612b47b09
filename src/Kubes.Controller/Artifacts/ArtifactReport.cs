namespace Kubes.Controller.Artifacts;

/// <summary>What happened to one file in <c>kubes artifacts mirror</c> or <c>import</c>.</summary>
public enum ArtifactOutcome
{
    /// <summary>Downloaded, verified against its checksum file, stored in the mirror and pinned.</summary>
    Mirrored,
    /// <summary>Its checksum file still gives the pinned digest, and the mirror holds the bytes already.</summary>
    AlreadyMirrored,
    /// <summary>Verified against the operator's SHA256SUMS, stored in the mirror and pinned.</summary>
    Imported,
    /// <summary>Imported in place of a pin of other bytes (<c>--replace</c>).</summary>
    Replaced,
    /// <summary>The very file is pinned and mirrored already.</summary>
    AlreadyPinned,
    /// <summary>Not a file of the catalogue for this version and architecture, or one the local provider takes from this machine.</summary>
    Ignored,
    /// <summary>Not taken: the reason is in the row's detail; nothing of the run was pinned for it.</summary>
    Failed,
}

/// <summary>One file's row: which artifact, the file, its digest, what happened and why.</summary>
public sealed record ArtifactReportRow(string Name, string Version, string Arch, string File, string Sha256, ArtifactOutcome Outcome,
    string Detail);

/// <summary>What a mirror or import run did, per file, and what the cluster still lacks afterwards.</summary>
public sealed record ArtifactReport(string KubernetesVersion, IReadOnlyList<ArtifactReportRow> Rows, IReadOnlyList<ArtifactShortfall> StillMissing)
{
    public bool Succeeded => Rows.All(r => r.Outcome != ArtifactOutcome.Failed);
}

/// <summary>The operator's input cannot be used (no directory, no SHA256SUMS, a malformed line): exit code 2, nothing changed.</summary>
public sealed class ArtifactInputException(string message) : Exception(message);
