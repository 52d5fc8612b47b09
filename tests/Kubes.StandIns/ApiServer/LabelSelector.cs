using System.Text.Json.Nodes;

namespace Kubes.StandIns.ApiServer;

/// <summary>
/// A list's ?labelSelector, equality requirements only (key=value, key==value, comma-separated, all must hold): the
/// set-based forms (!=, in, notin, exists) are refused rather than half-played.
/// </summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<(string Key, string Value)> _requirements;

    private LabelSelector(IReadOnlyList<(string Key, string Value)> requirements) => _requirements = requirements;

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new LabelSelector([]);
        return new LabelSelector(text.Split(',').Select(requirement =>
        {
            var parts = requirement.Split("==") is [var k, var v] ? [k, v] : requirement.Split('=');
            if (parts is not [var key, var value] || key.EndsWith('!') || key.Trim() is "" || value.Contains('='))
                throw ApiStatusException.BadRequest(
                    $"unable to parse requirement: '{requirement}': the Kubes stand-in plays equality label selectors only (key=value, key==value)");
            return (key.Trim(), value.Trim());
        }).ToList());
    }

    public bool Matches(JsonObject item)
    {
        var labels = item["metadata"]?["labels"] as JsonObject;
        return _requirements.All(r => labels?[r.Key] is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String &&
            value.GetValue<string>() == r.Value);
    }
}
