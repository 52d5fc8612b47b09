using System.Text.Json.Serialization;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// What the add-on managers have applied to the cluster: the set (its hash) last applied whole, by whom, and the hash of
/// each object's apply body by its path. Objects applied since, of a set not yet applied whole, are in it too, so that
/// a round cut short is resumed where it stopped.
/// </summary>
public sealed record AppliedRecord
{
    public static readonly AppliedRecord Empty = new();

    public string Set { get; init; } = "";
    public string By { get; init; } = "";
    public IReadOnlyDictionary<string, string> Objects { get; init; } = new Dictionary<string, string>();
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AppliedRecord))]
public sealed partial class AppliedRecordJsonContext : JsonSerializerContext;
