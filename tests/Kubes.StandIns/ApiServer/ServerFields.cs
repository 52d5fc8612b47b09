using System.Text.Json.Nodes;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// The metadata the apiserver owns on a stored object: name and namespace (from the path), uid and creationTimestamp (made once,
/// kept across updates), generation (1, then one more on every write: the stand-in does not tell spec changes from
/// others), and for server-side apply the applying manager's managedFields entry. resourceVersion is not stored: it is
/// etcd's mod_revision of the key, set on every object read or written.
/// </summary>
public static class ServerFields
{
    public static JsonObject Stamp(JsonObject body, ApiPath path, JsonObject? current, DateTimeOffset now)
    {
        var stored = body.DeepClone().AsObject();
        var metadata = Metadata(stored);
        var previous = current?["metadata"];
        metadata["name"] = path.Name;
        if (path.Namespace is not null) metadata["namespace"] = path.Namespace;
        metadata["uid"] = previous?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = previous?["creationTimestamp"]?.DeepClone() ?? Timestamp(now);
        metadata["generation"] = (previous?["generation"]?.GetValue<long>() ?? 0) + 1;
        metadata.Remove("resourceVersion");
        return stored;
    }

    /// <summary>
    /// Gives <paramref name="manager"/> one Apply entry in managedFields, replacing its earlier one and keeping the
    /// other managers'. fieldsV1 is left empty: the stand-in does not track which fields a manager owns, so it finds no
    /// conflicts between managers (and ?force changes nothing).
    /// </summary>
    public static void RecordApply(JsonObject stored, JsonObject? current, string manager, string apiVersion, DateTimeOffset now)
    {
        var others = (current?["metadata"]?["managedFields"] as JsonArray ?? [])
            .Where(entry => !(entry?["manager"]?.GetValue<string>() == manager && entry["operation"]?.GetValue<string>() == "Apply"))
            .Select(entry => entry?.DeepClone());
        Metadata(stored)["managedFields"] = new JsonArray([.. others, new JsonObject
        {
            ["manager"] = manager, ["operation"] = "Apply", ["apiVersion"] = apiVersion, ["time"] = Timestamp(now),
            ["fieldsType"] = "FieldsV1", ["fieldsV1"] = new JsonObject(),
        }]);
    }

    public static void SetResourceVersion(JsonObject item, long modRevision) => Metadata(item)["resourceVersion"] = modRevision.ToString();

    private static JsonObject Metadata(JsonObject item) => item["metadata"] as JsonObject ?? (JsonObject)(item["metadata"] = new JsonObject());

    private static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ");
}
