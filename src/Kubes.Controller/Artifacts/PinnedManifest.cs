namespace Kubes.Controller.Artifacts;

/// <summary>
/// A manifest of Kubernetes objects the coordinator holds, as pinned and mirrored (a pod network's <c>calico.yaml</c>):
/// its artifact name and version, its digest, and its text. Two are equal when their digests are: the text is those bytes.
/// </summary>
public sealed record PinnedManifest(string Name, string Version, string Sha256, string Text)
{
    public bool Equals(PinnedManifest? other) => other is not null && Name == other.Name && Version == other.Version && Sha256 == other.Sha256;

    public override int GetHashCode() => HashCode.Combine(Name, Version, Sha256);
}
