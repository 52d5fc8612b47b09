using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// The API's verbs on objects, answered from the <see cref="ObjectStore"/>: GET of an object or a collection (with an
/// equality ?labelSelector), POST to a collection, PUT and DELETE of an object, and PATCH as server-side apply only.
/// Refusals are Status objects. Secrets are not stored: the stand-in does not play encryption at rest. Watches, field
/// selectors and dry runs are refused rather than half-played. Every write is logged, so a cluster's logs show what arrived.
/// </summary>
public sealed class ObjectRequests(ObjectStore store)
{
    private const string ApplyPatch = "application/apply-patch+yaml";

    public async Task HandleAsync(HttpContext context, ApiPath path)
    {
        try
        {
            RefuseUnplayed(context.Request, path);
            await AnswerAsync(context, path, context.RequestAborted);
        }
        catch (ApiStatusException e)
        {
            await SecureServer.WriteStatusAsync(context, e.Code, e.Reason, e.Message);
        }
        catch (EtcdException e)
        {
            Log.Info($"{context.Request.Method} {path}: {e.Message}");
            await SecureServer.WriteStatusAsync(context, e.Reached ? 500 : 503, e.Reached ? "InternalError" : "ServiceUnavailable", e.Message);
        }
    }

    private static void RefuseUnplayed(HttpRequest request, ApiPath path)
    {
        if (path is { Group: "", Resource: "secrets" })
            throw new ApiStatusException(501, "NotImplemented",
                "the Kubes stand-in of kube-apiserver does not store Secrets: it does not play encryption at rest (--encryption-provider-config)");
        // What asks for something the stand-in does not do is refused; watch=false (which clients send with a plain list)
        // or an empty selector asks for nothing.
        foreach (var parameter in new[] { "watch", "fieldSelector", "dryRun" })
        {
            var value = request.Query[parameter].ToString();
            if (value.Length > 0 && !(parameter == "watch" && value is "false" or "0"))
                throw ApiStatusException.BadRequest($"?{parameter}={value}: the Kubes stand-in of kube-apiserver does not play it");
        }
    }

    private Task AnswerAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken) => (context.Request.Method, path.IsCollection) switch
    {
        ("GET", true) => ListAsync(context, path, cancellationToken),
        ("GET", false) => GetAsync(context, path, cancellationToken),
        ("POST", true) => CreateAsync(context, path, cancellationToken),
        ("PUT", false) => UpdateAsync(context, path, cancellationToken),
        ("PATCH", false) => ApplyAsync(context, path, cancellationToken),
        ("DELETE", false) => DeleteAsync(context, path, cancellationToken),
        var (method, _) => throw new ApiStatusException(405, "MethodNotAllowed", $"{method} is not supported on {path} by the Kubes stand-in"),
    };

    private async Task ListAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken) =>
        await WriteAsync(context, 200, await store.ListAsync(path, LabelSelector.Parse(context.Request.Query["labelSelector"]), cancellationToken));

    private async Task GetAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken) =>
        await WriteAsync(context, 200, await store.GetAsync(path, cancellationToken) ?? throw ApiStatusException.NotFound(path));

    private async Task CreateAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        RequireJson(context.Request);
        var body = await ObjectBody.ReadAsync(context.Request, cancellationToken);
        var objectPath = ObjectBody.Check(body, path);
        var stored = await store.CreateAsync(objectPath, body, cancellationToken);
        Log.Info($"created {objectPath} (resourceVersion {ResourceVersion(stored)})");
        await WriteAsync(context, 201, stored);
    }

    private async Task UpdateAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        RequireJson(context.Request);
        var body = await ObjectBody.ReadAsync(context.Request, cancellationToken);
        var stored = await store.UpdateAsync(ObjectBody.Check(body, path), body, cancellationToken);
        Log.Info($"updated {path} (resourceVersion {ResourceVersion(stored)})");
        await WriteAsync(context, 200, stored);
    }

    private async Task ApplyAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        if (MediaType(context.Request) != ApplyPatch)
            throw new ApiStatusException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: {ApplyPatch} (the Kubes stand-in plays server-side apply only)");
        // As kube-apiserver does, the patch options are checked before the object is looked at.
        var manager = context.Request.Query["fieldManager"].ToString();
        if (manager == "")
            throw new ApiStatusException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
        var body = await ObjectBody.ReadAsync(context.Request, cancellationToken);
        ObjectBody.Check(body, path);
        if (body["metadata"]?["managedFields"] is not null) throw ApiStatusException.BadRequest("metadata.managedFields must be nil");
        var (created, stored) = await store.ApplyAsync(path, body, manager, cancellationToken);
        Log.Info($"applied {path} for field manager {manager} (resourceVersion {ResourceVersion(stored)}{(created ? ", created" : "")})");
        await WriteAsync(context, created ? 201 : 200, stored);
    }

    private async Task DeleteAsync(HttpContext context, ApiPath path, CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteAsync(path, cancellationToken) ?? throw ApiStatusException.NotFound(path);
        Log.Info($"deleted {path}");
        await WriteAsync(context, 200, deleted);
    }

    private static void RequireJson(HttpRequest request)
    {
        if (MediaType(request) != "application/json")
            throw new ApiStatusException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json (the Kubes stand-in reads no other)");
    }

    private static string MediaType(HttpRequest request) => request.ContentType?.Split(';')[0].Trim().ToLowerInvariant() ?? "";

    private static string? ResourceVersion(JsonObject item) => item["metadata"]?["resourceVersion"]?.ToString();

    private static Task WriteAsync(HttpContext context, int code, JsonObject item)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(item.ToJsonString(), context.RequestAborted);
    }
}
