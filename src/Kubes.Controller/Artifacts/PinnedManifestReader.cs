using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.State;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// Reads the manifests the cluster has pinned and mirrored (<see cref="ArtifactPacking.Manifest"/>) from the state store,
/// each checked against its pinned digest. Where several pins name one manifest version (one per Kubernetes version and
/// architecture, the same bytes unless an import replaced one), the newest pin's bytes are taken.
/// </summary>
public sealed class PinnedManifestReader(IStateStore store)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="known">What was read before: a digest already held is not read again.</param>
    public async Task<IReadOnlyList<PinnedManifest>> ReadAsync(IReadOnlyCollection<PinnedManifest> known, CancellationToken cancellationToken)
    {
        var newest = (await new ArtifactPinStore(store).AllAsync(cancellationToken))
            .Where(pin => ArtifactCatalogue.ManifestNames.Contains(pin.Name) && pin.IsMirrored)
            .GroupBy(pin => (pin.Name, pin.Version))
            .Select(group => group.MaxBy(pin => pin.PinnedAt)!);
        var manifests = new List<PinnedManifest>();
        foreach (var pin in newest)
        {
            if (known.FirstOrDefault(m => m.Name == pin.Name && m.Version == pin.Version && m.Sha256 == pin.Sha256) is { } held)
            {
                manifests.Add(held);
                continue;
            }
            var stored = await store.GetAsync(pin.MirrorKey, cancellationToken)
                         ?? throw new StateStoreException($"{pin.Name} {pin.Version} is pinned (sha256 {pin.Sha256}), but the state store "
                                                          + $"{store.Location} has no {pin.MirrorKey}; import the file again with 'kubes artifacts import DIR'.");
            // The mirror's key names the digest; the bytes are checked anyway, as an instance checks what it downloads.
            var actual = Convert.ToHexStringLower(SHA256.HashData(stored.Content));
            if (actual != pin.Sha256)
                throw new StateStoreException($"{pin.MirrorKey} in the state store {store.Location} holds bytes with SHA-256 {actual}, "
                                              + $"not the {pin.Sha256} pinned for {pin.Name} {pin.Version}: the mirror was altered.");
            manifests.Add(new PinnedManifest(pin.Name, pin.Version, pin.Sha256, StrictUtf8.GetString(stored.Content)));
        }
        return manifests.OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Version, StringComparer.Ordinal).ToList();
    }
}
