using System.Text.Json.Nodes;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// API objects kept in the real etcd, through the <see cref="EtcdGateway"/>, under
/// {--etcd-prefix}/kubes-stand-in/objects{path}: apart from where kube-apiserver keeps its own, and shared by every
/// apiserver stand-in on the same etcd. An object's resourceVersion is its key's mod_revision; every write is an etcd
/// transaction on that revision (optimistic concurrency), retried a few times when another writer won the race.
/// Namespaces need not exist before the objects in them: the stand-in runs no admission.
/// </summary>
public sealed class ObjectStore(EtcdGateway gateway, string prefix, TimeProvider clock)
{
    private const int Attempts = 5;

    private string Root => $"{prefix.TrimEnd('/')}/kubes-stand-in/objects";

    public async Task<JsonObject?> GetAsync(ApiPath path, CancellationToken cancellationToken) =>
        (await ReadAsync(path, cancellationToken))?.Item;

    /// <summary>
    /// The collection's objects that the selector matches, as a List. Its kind is "{Kind}List" when its items tell the
    /// Kind (the stand-in has no table of resources' kinds), else "List".
    /// </summary>
    public async Task<JsonObject> ListAsync(ApiPath collection, LabelSelector selector, CancellationToken cancellationToken)
    {
        // A cluster-wide collection of a namespaced resource holds every namespace's objects: read the group version.
        var from = Root + (collection.Namespace is null ? collection.GroupVersionRoot : collection.ToString()) + "/";
        var range = await gateway.RangeAsync(from, from[..^1] + (char)(from[^1] + 1), cancellationToken: cancellationToken);
        var items = range.Entries
            .Where(entry => ApiPath.Parse(entry.Key[Root.Length..]) is { IsCollection: false } path && path.Resource == collection.Resource &&
                (collection.Namespace is null || path.Namespace == collection.Namespace))
            .Select(Item)
            .Where(selector.Matches)
            .ToList();
        var kinds = items.Select(item => item["kind"]?.ToString()).Distinct().ToList();
        return new JsonObject
        {
            ["kind"] = kinds is [{ } kind] ? kind + "List" : "List", ["apiVersion"] = collection.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = range.Revision.ToString() },
            ["items"] = new JsonArray([.. items]),
        };
    }

    /// <summary>Stores a new object at <paramref name="path"/> (already named); 409 AlreadyExists when one is there.</summary>
    public Task<JsonObject> CreateAsync(ApiPath path, JsonObject body, CancellationToken cancellationToken) =>
        WriteAsync(path, current => current is null
            ? ServerFields.Stamp(body, path, null, clock.GetUtcNow())
            : throw ApiStatusException.AlreadyExists(path), cancellationToken);

    /// <summary>
    /// Replaces the object: 404 when there is none, 409 Conflict when the body's resourceVersion is not the stored one.
    /// A body without resourceVersion replaces whatever is stored, as kube-apiserver allows for most kinds.
    /// </summary>
    public Task<JsonObject> UpdateAsync(ApiPath path, JsonObject body, CancellationToken cancellationToken) =>
        WriteAsync(path, current =>
        {
            if (current is null) throw ApiStatusException.NotFound(path);
            var expected = body["metadata"]?["resourceVersion"]?.ToString();
            if (!string.IsNullOrEmpty(expected) && expected != current["metadata"]!["resourceVersion"]!.ToString())
                throw ApiStatusException.Conflict(path);
            return ServerFields.Stamp(body, path, current, clock.GetUtcNow());
        }, cancellationToken);

    /// <summary>
    /// Server-side apply: the applied body becomes the object, with its manager's managedFields entry. Every apply is
    /// stored, even one that changes nothing, so each one shows as a new resourceVersion (kube-apiserver would skip a
    /// no-op). Whether it created the object, and the object.
    /// </summary>
    public async Task<(bool Created, JsonObject Stored)> ApplyAsync(ApiPath path, JsonObject body, string manager, CancellationToken cancellationToken)
    {
        var created = false;
        var stored = await WriteAsync(path, current =>
        {
            created = current is null;
            var next = ServerFields.Stamp(body, path, current, clock.GetUtcNow());
            ServerFields.RecordApply(next, current, manager, path.ApiVersion, clock.GetUtcNow());
            return next;
        }, cancellationToken);
        return (created, stored);
    }

    /// <summary>Deletes the object: what it was, or null when there was none.</summary>
    public async Task<JsonObject?> DeleteAsync(ApiPath path, CancellationToken cancellationToken) =>
        await gateway.DeleteAsync(Key(path), cancellationToken) is { } entry ? Item(entry) : null;

    /// <summary>Reads the object, builds what replaces it, and puts that only if the object is still what was read.</summary>
    private async Task<JsonObject> WriteAsync(ApiPath path, Func<JsonObject?, JsonObject> build, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var current = await ReadAsync(path, cancellationToken);
            var next = build(current?.Item);
            var (succeeded, revision) = await gateway.PutIfUnchangedAsync(Key(path), current?.ModRevision ?? 0, next.ToJsonString(), cancellationToken);
            if (!succeeded) continue;
            ServerFields.SetResourceVersion(next, revision);
            return next;
        }

        throw ApiStatusException.Conflict(path);
    }

    private async Task<(JsonObject Item, long ModRevision)?> ReadAsync(ApiPath path, CancellationToken cancellationToken) =>
        (await gateway.RangeAsync(Key(path), cancellationToken: cancellationToken)).Entries is [var entry] ? (Item(entry), entry.ModRevision) : null;

    private string Key(ApiPath path) => Root + path;

    private static JsonObject Item(EtcdEntry entry)
    {
        var item = JsonNode.Parse(entry.Value)!.AsObject();
        ServerFields.SetResourceVersion(item, entry.ModRevision);
        return item;
    }
}
