using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kubes.Agent.Components.Addons;

/// <summary>An apiserver's answer to one call. A failure's body is a Kubernetes <c>Status</c>, whose message says why.</summary>
public sealed record ApiAnswer(string Method, string Path, int StatusCode, string Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The body as a JSON object.</summary>
    /// <exception cref="KubeApiException">It is not one.</exception>
    public JsonObject Object()
    {
        try
        {
            return JsonNode.Parse(Body) as JsonObject ?? throw NotAnObject();
        }
        catch (JsonException)
        {
            throw NotAnObject();
        }
    }

    /// <summary>The Status's <c>reason</c> (NotFound, AlreadyExists, Conflict, Forbidden...), or "" when the body is not one.</summary>
    public string Reason => StatusField("reason") ?? "";

    /// <summary>The Status's <c>message</c>, or else the body itself, shortened.</summary>
    public string Message => StatusField("message") ?? (Body.Length > 300 ? Body[..300] + "…" : Body).Trim();

    public KubeApiException Failure() => new($"{Method} {Path} answered {StatusCode}: {Message}");

    private string? StatusField(string name)
    {
        try
        {
            return JsonNode.Parse(Body) is JsonObject status && status["kind"]?.GetValue<string>() == "Status"
                ? status[name]?.GetValue<string>()
                : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private KubeApiException NotAnObject() => new($"{Method} {Path} answered {StatusCode} with a body that is not a JSON object");
}

/// <summary>A call to the apiserver that failed: no answer, or one the caller cannot go on with. The message is for reports.</summary>
public sealed class KubeApiException(string message, Exception? inner = null) : Exception(message, inner);
