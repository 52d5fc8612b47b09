using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Kubes.Agent.Tests.Components.Addons;

/// <summary>
/// An apiserver in memory, as far as the add-on manager uses one: objects by path with a resourceVersion each (a string,
/// from one counter); GET (404), POST to a collection (409 AlreadyExists), PUT naming the current resourceVersion (409
/// Conflict otherwise), server-side apply (creates or replaces; a body with no change keeps the resourceVersion), DELETE
/// (404); failures answered with Status bodies. Every request is listed; <see cref="Intercept"/> answers one instead.
/// </summary>
public sealed class FakeApiServer : HttpMessageHandler
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private long _version = 1000;

    /// <summary>"METHOD /path?query" of every request, in order.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Sees each request (method, path) first; an answer it gives is the request's.</summary>
    public Func<string, string, HttpResponseMessage?>? Intercept { get; set; }

    public JsonObject? Get(string path)
    {
        lock (_lock) return _objects.TryGetValue(path, out var o) ? (JsonObject)o.DeepClone() : null;
    }

    public string ResourceVersion(string path) => Get(path)?["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "";

    /// <summary>Stores an object as another client would, with a new resourceVersion.</summary>
    public void Put(string path, JsonObject o)
    {
        lock (_lock) Store(path, o);
    }

    public static HttpResponseMessage StatusAnswer(HttpStatusCode code, string reason, string message) =>
        Json(code, new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
            ["message"] = message, ["reason"] = reason, ["code"] = (int)code,
        });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri!.AbsolutePath;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (_lock) Requests.Add($"{request.Method.Method} {request.RequestUri.PathAndQuery}");
        if (Intercept?.Invoke(request.Method.Method, path) is { } intercepted) return intercepted;

        lock (_lock)
        {
            return request.Method.Method switch
            {
                "GET" => _objects.TryGetValue(path, out var found) ? Json(HttpStatusCode.OK, found) : NotFound(path),
                "POST" => Create(path, JsonNode.Parse(body!)!.AsObject()),
                "PUT" => Update(path, JsonNode.Parse(body!)!.AsObject()),
                "PATCH" => Apply(request, path, JsonNode.Parse(body!)!.AsObject()),
                "DELETE" => _objects.Remove(path)
                    ? Json(HttpStatusCode.OK, new JsonObject { ["kind"] = "Status", ["status"] = "Success" })
                    : NotFound(path),
                _ => StatusAnswer(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", $"{request.Method} is not allowed"),
            };
        }
    }

    private HttpResponseMessage Create(string collection, JsonObject o)
    {
        var name = o["metadata"]!["name"]!.GetValue<string>();
        var path = $"{collection}/{name}";
        if (_objects.ContainsKey(path)) return StatusAnswer(HttpStatusCode.Conflict, "AlreadyExists", $"\"{name}\" already exists");
        return Json(HttpStatusCode.Created, Store(path, o));
    }

    private HttpResponseMessage Update(string path, JsonObject o)
    {
        if (!_objects.TryGetValue(path, out var current)) return NotFound(path);
        var named = o["metadata"]?["resourceVersion"]?.GetValue<string>();
        if (named != current["metadata"]!["resourceVersion"]!.GetValue<string>())
            return StatusAnswer(HttpStatusCode.Conflict, "Conflict",
                $"Operation cannot be fulfilled on \"{path}\": the object has been modified; please apply your changes to the latest version and try again");
        return Json(HttpStatusCode.OK, Store(path, o));
    }

    private HttpResponseMessage Apply(HttpRequestMessage request, string path, JsonObject o)
    {
        var query = request.RequestUri!.Query;
        if (request.Content!.Headers.ContentType?.ToString() != "application/apply-patch+yaml")
            return StatusAnswer(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "not a server-side apply");
        if (!query.Contains("fieldManager=kubes") || !query.Contains("force=true"))
            return StatusAnswer(HttpStatusCode.BadRequest, "BadRequest", "fieldManager and force are required");
        if (_objects.TryGetValue(path, out var current) && SameContent(current, o)) return Json(HttpStatusCode.OK, current);
        var created = current is null;
        return Json(created ? HttpStatusCode.Created : HttpStatusCode.OK, Store(path, o));
    }

    private static bool SameContent(JsonObject stored, JsonObject applied)
    {
        var withoutVersion = (JsonObject)stored.DeepClone();
        ((JsonObject)withoutVersion["metadata"]!).Remove("resourceVersion");
        return JsonNode.DeepEquals(withoutVersion, applied);
    }

    private JsonObject Store(string path, JsonObject o)
    {
        var stored = (JsonObject)o.DeepClone();
        var metadata = stored["metadata"] as JsonObject ?? [];
        stored["metadata"] = metadata;
        metadata["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _objects[path] = stored;
        return stored;
    }

    private static HttpResponseMessage NotFound(string path) =>
        StatusAnswer(HttpStatusCode.NotFound, "NotFound", $"\"{path.Split('/')[^1]}\" not found");

    private static HttpResponseMessage Json(HttpStatusCode code, JsonNode body) =>
        new(code) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
}
