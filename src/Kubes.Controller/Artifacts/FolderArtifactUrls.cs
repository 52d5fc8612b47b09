namespace Kubes.Controller.Artifacts;

/// <summary>The local provider: instances share this machine's disk, so the mirror folder is read through file URLs.</summary>
public sealed class FolderArtifactUrls(string stateFolder) : IArtifactUrls
{
    public string UrlOf(MirroredArtifact artifact) => new Uri(Path.Combine(Path.GetFullPath(stateFolder), artifact.Key)).AbsoluteUri;
}
