using Kubes.Agent.Artifacts;
using Kubes.Agent.FileSystem;
using Kubes.Protos.V1;

namespace Kubes.Agent.Steps;

/// <summary>Download an artifact and verify its SHA-256: done when the cached file has exactly that hash.</summary>
public sealed class DownloadArtifactStep(Artifact artifact, string destination, ArtifactFetcher fetcher) : IInstallStep
{
    public string Name => $"download-{artifact.Name}";

    public string InputHash => FileHash.OfInputs(artifact.Sha256.ToLowerInvariant(), destination);

    public Artifact Artifact => artifact;

    /// <summary>Where the verified file is kept, for the step that installs from it.</summary>
    public string Destination => destination;

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
        string.Equals(await FileHash.Sha256Async(destination, cancellationToken), artifact.Sha256, StringComparison.OrdinalIgnoreCase);

    public Task ApplyAsync(CancellationToken cancellationToken) => fetcher.FetchAsync(artifact, destination, cancellationToken);
}
