using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.DesiredState;

/// <summary>
/// The cluster's desired state, one object per generation in the state store
/// (<c>desired/generations/0000000003.json</c>: the spec, the Kubernetes version and architecture, the pinned digests).
/// <c>kubes up</c> records what it applies, validated, as a new generation only when it differs from the newest;
/// generations are never changed, so each is read from the store once, and never validated again (a later kubes may
/// check specs differently; what a generation says has been applied).
/// </summary>
public sealed class SpecGenerationStore(IStateStore store)
{
    public const string Prefix = "desired/generations/";
    private const int MaxAttempts = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly ConcurrentDictionary<int, SpecGeneration> _read = new();

    public static string KeyOf(int number) => $"{Prefix}{number.ToString("D10", CultureInfo.InvariantCulture)}.json";

    /// <summary>
    /// The newest generation, after recording <paramref name="spec"/> with <paramref name="artifacts"/> as a new one when
    /// either differs from it (a spec that only reads differently, or pins taken at another time, are the same state).
    /// </summary>
    public async Task<SpecGeneration> RecordAsync(ClusterSpec spec, PinnedArtifacts artifacts, CancellationToken cancellationToken)
    {
        var document = Document.Of(spec, artifacts);
        for (var attempt = 1; ; attempt++)
        {
            var newest = await NewestAsync(cancellationToken);
            if (newest is not null && newest.Spec == spec && Document.Of(newest.Spec, newest.Artifacts).SameFilesAs(document)) return newest;
            var number = (newest?.Number ?? 0) + 1;
            if (await store.PutIfAbsentAsync(KeyOf(number), JsonSerializer.SerializeToUtf8Bytes(document with { Generation = number }, Json), cancellationToken))
                return await GetAsync(number, cancellationToken);
            if (attempt >= MaxAttempts)
                throw new StateStoreException(
                    $"the desired state in the state store {store.Location} kept changing while this spec was recorded " +
                    "(another 'kubes up' of the same cluster?); run 'kubes up' again once the other one has finished.");
        }
    }

    /// <summary>The newest generation's number, or null when none was ever recorded.</summary>
    public async Task<int?> NewestNumberAsync(CancellationToken cancellationToken)
    {
        var numbers = await NumbersAsync(cancellationToken);
        return numbers.Count == 0 ? null : numbers[^1];
    }

    public async Task<SpecGeneration?> NewestAsync(CancellationToken cancellationToken) =>
        await NewestNumberAsync(cancellationToken) is { } number ? await GetAsync(number, cancellationToken) : null;

    public async Task<SpecGeneration> GetAsync(int number, CancellationToken cancellationToken)
    {
        if (_read.TryGetValue(number, out var known)) return known;
        var key = KeyOf(number);
        var stored = await store.GetAsync(key, cancellationToken)
            ?? throw new StateStoreException(
                $"'{key}' is missing from the state store {store.Location}, though a slot is assigned to it; run 'kubes up' " +
                "to record the desired state again and roll it.");
        return _read.GetOrAdd(number, Parse(number, key, stored.Content));
    }

    /// <summary>
    /// Removes every generation older than the newest that is not in use (<paramref name="inUse"/>, asked only when there
    /// is an older one); returns their numbers.
    /// </summary>
    public async Task<IReadOnlyList<int>> PruneAsync(Func<CancellationToken, Task<IReadOnlySet<int>>> inUse, CancellationToken cancellationToken)
    {
        var numbers = await NumbersAsync(cancellationToken);
        if (numbers.Count < 2) return [];
        var keep = await inUse(cancellationToken);
        var pruned = numbers.Take(numbers.Count - 1).Where(n => !keep.Contains(n)).ToList();
        foreach (var number in pruned)
        {
            await store.DeleteAsync(KeyOf(number), cancellationToken);
            _read.TryRemove(number, out _);
        }
        return pruned;
    }

    private async Task<IReadOnlyList<int>> NumbersAsync(CancellationToken cancellationToken) =>
        (await store.ListAsync(Prefix, cancellationToken))
            .Select(key => key[Prefix.Length..])
            .Select(name => name.EndsWith(".json", StringComparison.Ordinal)
                            && int.TryParse(name[..^5], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 0)
            .Where(n => n > 0)
            .Order()
            .ToList();

    private SpecGeneration Parse(int number, string key, byte[] content)
    {
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(content, Json);
        }
        catch (JsonException e)
        {
            throw Unreadable(key, e.Message);
        }
        if (document is null || document.Generation != number || document.Spec is null)
            throw Unreadable(key, "it does not hold generation " + number);
        return new SpecGeneration(number, document.Spec,
            new PinnedArtifacts(document.KubernetesVersion, document.Arch, document.Pins, [], []));
    }

    private StateStoreException Unreadable(string key, string reason) => new(
        $"'{key}' in the state store {store.Location} cannot be read as a generation of the desired state ({reason}): " +
        "was it written by another version of kubes? Run 'kubes up' with the kubes that created the cluster.");

    /// <summary>A generation as stored.</summary>
    private sealed record Document(int Generation, ClusterSpec Spec, string KubernetesVersion, string Arch,
        SortedDictionary<string, ArtifactPin> Pins)
    {
        public static Document Of(ClusterSpec spec, PinnedArtifacts artifacts) => new(0, spec,
            artifacts.KubernetesVersion, artifacts.Arch, new SortedDictionary<string, ArtifactPin>(artifacts.Pins.ToDictionary(), StringComparer.Ordinal));

        /// <summary>The same files: where a digest came from and when it was pinned do not matter.</summary>
        public bool SameFilesAs(Document other) =>
            KubernetesVersion == other.KubernetesVersion && Arch == other.Arch && Files(this).SequenceEqual(Files(other));

        private static IEnumerable<(string, string, string, string, string, string)> Files(Document document) =>
            document.Pins.Values.Select(p => (p.Name, p.Version, p.File, p.Sha256, p.Url, p.MirrorKey)).Order();
    }
}
