using System.Security.Cryptography;
using System.Text.Json;
using Kubes.Controller.Agents;
using Kubes.Controller.State;

namespace Kubes.Controller.Artifacts;

/// <summary>One file instances download: where it is in the mirror and the SHA-256 they must check.</summary>
public sealed record MirroredArtifact(string Name, string Version, string Key, string Sha256);

/// <summary>
/// The cluster's artifact mirror: the state store's <c>artifacts/</c> folder. The coordinator puts the agent and
/// the role artifacts there (pinned by <see cref="ArtifactPinStore"/>); instances download them through URLs that
/// <see cref="IArtifactUrls"/> makes (presigned S3 URLs on AWS, file URLs for the local provider, whose instances
/// share this machine's disk).
/// Every file is stored under its own digest (<c>artifacts/&lt;sha256&gt;/&lt;file&gt;</c>) and never rewritten: an
/// instance that holds a digest from an earlier run still finds exactly those bytes, whatever was mirrored since.
/// The index names the newest file of each artifact put with <see cref="PutAsync"/> (the agent); role artifacts are
/// found through their pins.
/// </summary>
public sealed class ArtifactMirror(IStateStore store)
{
    public const string Prefix = "artifacts/";
    private const string IndexKey = "artifacts/index.json";

    /// <summary>Where a file with this digest is stored: one key per content, so a key is never rewritten.</summary>
    public static string KeyOf(string sha256, string fileName) => $"{Prefix}{sha256}/{fileName}";

    /// <summary>
    /// Stores <paramref name="content"/> under its digest unless the mirror holds it already, and makes it the index's
    /// file for <paramref name="name"/>. Nothing is written when the index names these very bytes.
    /// </summary>
    public async Task<MirroredArtifact> PutAsync(string name, string version, string fileName, byte[] content,
        CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var artifact = new MirroredArtifact(name, version, KeyOf(sha256, fileName), sha256);
        var index = await IndexAsync(cancellationToken);
        if (index.TryGetValue(name, out var known) && known == artifact) return artifact;
        // A key that exists holds these bytes: its name is their digest (an instance checks them anyway).
        await store.PutIfAbsentAsync(artifact.Key, content, cancellationToken);
        index[name] = artifact;
        await store.PutAsync(IndexKey, JsonSerializer.SerializeToUtf8Bytes(index), cancellationToken: cancellationToken);
        return artifact;
    }

    /// <summary>Stores <paramref name="content"/> under its digest unless the mirror holds it already.</summary>
    public async Task<(string Key, string Sha256)> StoreAsync(string fileName, byte[] content, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var key = KeyOf(sha256, fileName);
        await store.PutIfAbsentAsync(key, content, cancellationToken);
        return (key, sha256);
    }

    public async Task<bool> ContainsAsync(string key, CancellationToken cancellationToken) =>
        (await store.ListAsync(key, cancellationToken)).Contains(key);

    public async Task<MirroredArtifact?> FindAsync(string name, CancellationToken cancellationToken) =>
        (await IndexAsync(cancellationToken)).GetValueOrDefault(name);

    public async Task<Dictionary<string, MirroredArtifact>> IndexAsync(CancellationToken cancellationToken) =>
        await store.GetAsync(IndexKey, cancellationToken) is { } stored
            ? JsonSerializer.Deserialize<Dictionary<string, MirroredArtifact>>(stored.Content) ?? []
            : [];

    /// <summary>The agent binary beside kubes, mirrored.</summary>
    public async Task<MirroredArtifact> PutAgentAsync(CancellationToken cancellationToken)
    {
        var path = AgentBinary.Locate();
        var version = typeof(ArtifactMirror).Assembly.GetName().Version?.ToString() ?? "dev";
        return await PutAsync(AgentBinary.FileName, version, AgentBinary.FileName, await File.ReadAllBytesAsync(path, cancellationToken),
            cancellationToken);
    }
}
