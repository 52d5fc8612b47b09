using System.Text.Json.Nodes;

namespace Kubes.StandIns.Clients;

/// <summary>What the API server answered a request: its status code and its JSON object (null when it sent none).</summary>
public sealed record ApiAnswer(int Status, JsonObject? Body)
{
    /// <summary>A refusal's Status reason (AlreadyExists, Conflict, NotFound, ...).</summary>
    public string? Reason => Body?["kind"]?.ToString() == "Status" ? Body["reason"]?.ToString() : null;

    /// <summary>The answer as a log line: the code and the Status message, when there is one.</summary>
    public string Describe(HttpMethod method, string path) =>
        $"{method} {path} answered {Status}{(Body?["message"] is { } message ? $": {message}" : "")}";
}
