namespace Kubes.Controller.Artifacts;

/// <summary>Turns a mirrored artifact into a URL an instance can fetch.</summary>
public interface IArtifactUrls
{
    string UrlOf(MirroredArtifact artifact);
}
