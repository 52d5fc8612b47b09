using System.Text.Json;
using Kubes.Controller.State;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// The cluster's pinned digests in its state store: one file per Kubernetes version and architecture
/// (<c>artifacts/pins/v1.36.3/linux-amd64.json</c>), one pin per artifact name. Writes are conditional, so two
/// commands pinning at once both keep what they pinned.
/// </summary>
public sealed class ArtifactPinStore(IStateStore store)
{
    public const string Prefix = "artifacts/pins/";
    private const int MaxAttempts = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Location => store.Location;

    public static string KeyOf(string kubernetesVersion, string arch) =>
        $"{Prefix}v{ArtifactCatalogue.Normalize(kubernetesVersion)}/linux-{arch}.json";

    public async Task<IReadOnlyDictionary<string, ArtifactPin>> LoadAsync(string kubernetesVersion, string arch,
        CancellationToken cancellationToken) =>
        Parse(await store.GetAsync(KeyOf(kubernetesVersion, arch), cancellationToken));

    /// <summary>Every pin of every pins file: a file pinned for one Kubernetes version is the same file for another.</summary>
    public async Task<IReadOnlyList<ArtifactPin>> AllAsync(CancellationToken cancellationToken)
    {
        var pins = new List<ArtifactPin>();
        foreach (var key in await store.ListAsync(Prefix, cancellationToken))
            pins.AddRange(Parse(await store.GetAsync(key, cancellationToken)).Values);
        return pins;
    }

    /// <summary>Sets these pins (by name) in the pins file, keeping the others; nothing is written when none changes.</summary>
    public async Task SaveAsync(string kubernetesVersion, string arch, IReadOnlyCollection<ArtifactPin> pins,
        CancellationToken cancellationToken)
    {
        if (pins.Count == 0) return;
        var key = KeyOf(kubernetesVersion, arch);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await store.GetAsync(key, cancellationToken);
            var merged = new SortedDictionary<string, ArtifactPin>(Parse(stored).ToDictionary(), StringComparer.Ordinal);
            if (pins.All(p => merged.TryGetValue(p.Name, out var known) && known == p)) return;
            foreach (var pin in pins) merged[pin.Name] = pin;
            var content = JsonSerializer.SerializeToUtf8Bytes(new PinsFile(ArtifactCatalogue.Normalize(kubernetesVersion), arch, merged), Json);
            try
            {
                if (stored is null)
                {
                    if (await store.PutIfAbsentAsync(key, content, cancellationToken)) return;
                }
                else
                {
                    await store.PutAsync(key, content, stored.Version, cancellationToken);
                    return;
                }
            }
            catch (StateConflictException) when (attempt < MaxAttempts)
            {
            }
            if (attempt >= MaxAttempts)
                throw new StateStoreException($"'{key}' in the state store {store.Location} kept changing while the pins were saved; run the command again.");
        }
    }

    private static IReadOnlyDictionary<string, ArtifactPin> Parse(StoredObject? stored)
    {
        if (stored is null) return new Dictionary<string, ArtifactPin>();
        return JsonSerializer.Deserialize<PinsFile>(stored.Content, Json)?.Pins ?? new SortedDictionary<string, ArtifactPin>();
    }

    private sealed record PinsFile(string KubernetesVersion, string Arch, SortedDictionary<string, ArtifactPin> Pins);
}
