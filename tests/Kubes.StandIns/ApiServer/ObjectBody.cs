using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Kubes.StandIns.ApiServer;

/// <summary>A request's object, read as JSON and held to its path as kube-apiserver holds it (400 where it does not fit).</summary>
public static class ObjectBody
{
    public static async Task<JsonObject> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject
                ?? throw ApiStatusException.BadRequest("the body of the request is not a JSON object");
        }
        catch (JsonException e)
        {
            // YAML would be accepted by kube-apiserver; the stand-in reads its JSON form only (JSON is YAML).
            throw ApiStatusException.BadRequest($"the body of the request is not JSON (the Kubes stand-in reads no other YAML): {e.Message}");
        }
    }

    /// <summary>
    /// The body's object for the path: its apiVersion the path's, a kind, its namespace (when it says one) the path's,
    /// and its name the path's; posted to a collection, it is named by metadata.name or metadata.generateName.
    /// </summary>
    public static ApiPath Check(JsonObject body, ApiPath path)
    {
        var apiVersion = body["apiVersion"]?.ToString();
        if (apiVersion != path.ApiVersion)
            throw ApiStatusException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({path.ApiVersion})");
        if (string.IsNullOrEmpty(body["kind"]?.ToString())) throw ApiStatusException.BadRequest($"Object 'Kind' is missing in '{body.ToJsonString()}'");
        var metadata = body["metadata"] as JsonObject ?? throw ApiStatusException.BadRequest("the object has no metadata");
        var ns = metadata["namespace"]?.ToString();
        if (ns is not null && path.Namespace is null)
            throw ApiStatusException.BadRequest(
                $"the object names namespace {ns} on {path}, a path outside any namespace; the Kubes stand-in does not know which resources are cluster-scoped, so it takes a namespace only from the path");
        if (ns is not null && ns != path.Namespace)
            throw ApiStatusException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        var name = metadata["name"]?.ToString();
        if (path.IsCollection) return path.Child(NameOnCreate(name, metadata["generateName"]?.ToString()));
        if (name != path.Name) throw ApiStatusException.BadRequest($"the name of the object ({name}) does not match the name on the URL ({path.Name})");
        return path;
    }

    private static string NameOnCreate(string? name, string? generateName)
    {
        if (!string.IsNullOrEmpty(name)) return name;
        if (string.IsNullOrEmpty(generateName)) throw ApiStatusException.BadRequest("metadata.name: Required value: name or generateName is required");
        return generateName + RandomNumberGenerator.GetString("bcdfghjklmnpqrstvwxz2456789", 5);
    }
}
