using System.Text.Json;
using Kubes.Controller.State;

namespace Kubes.Controller.DesiredState;

/// <summary>
/// Which generation of the desired state each slot runs, one object per slot in the state store
/// (<c>desired/slots/etcd-0.json</c>; a node of an Auto Scaling group under its instance id). A slot is assigned the
/// newest generation at its agent's first join, and a newer one only by <c>kubes up</c>'s roll, one member at a time.
/// </summary>
public sealed class SlotAssignments(IStateStore store)
{
    public const string Prefix = "desired/slots/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string KeyOf(string slot) =>
        StateKey.IsValidSegment(slot) ? $"{Prefix}{slot}.json" : throw new ArgumentException($"'{slot}' is not a slot name.", nameof(slot));

    /// <summary>The generation assigned to the slot, or null when it has none yet.</summary>
    public async Task<int?> GetAsync(string slot, CancellationToken cancellationToken)
    {
        var stored = await store.GetAsync(KeyOf(slot), cancellationToken);
        if (stored is null) return null;
        try
        {
            return JsonSerializer.Deserialize<Assignment>(stored.Content, Json) is { Generation: > 0 } assignment
                ? assignment.Generation
                : throw Unreadable(slot, "it names no generation");
        }
        catch (JsonException e)
        {
            throw Unreadable(slot, e.Message);
        }
    }

    /// <summary>Every slot's generation, by slot name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> AllAsync(CancellationToken cancellationToken)
    {
        var all = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in await store.ListAsync(Prefix, cancellationToken))
        {
            if (!key.EndsWith(".json", StringComparison.Ordinal)) continue;
            var slot = key[Prefix.Length..^5];
            if (await GetAsync(slot, cancellationToken) is { } generation) all[slot] = generation;
        }
        return all;
    }

    public Task AssignAsync(string slot, int generation, CancellationToken cancellationToken) =>
        store.PutAsync(KeyOf(slot), Serialize(generation), cancellationToken: cancellationToken);

    /// <summary>Assigns <paramref name="generation"/> unless the slot has one; returns the slot's generation either way.</summary>
    public async Task<int> AssignIfAbsentAsync(string slot, int generation, CancellationToken cancellationToken) =>
        await store.PutIfAbsentAsync(KeyOf(slot), Serialize(generation), cancellationToken)
            ? generation
            : await GetAsync(slot, cancellationToken) ?? generation;

    private static byte[] Serialize(int generation) => JsonSerializer.SerializeToUtf8Bytes(new Assignment(generation), Json);

    private StateStoreException Unreadable(string slot, string reason) => new(
        $"'{KeyOf(slot)}' in the state store {store.Location} cannot be read ({reason}); remove it and run 'kubes up' to " +
        $"assign slot {slot} again.");

    private sealed record Assignment(int Generation);
}
