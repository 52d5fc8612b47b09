using System.Text.Json.Serialization;

namespace Kubes.Agent.ConfigFiles;

/// <summary>
/// The source-generated serializers of the config-file models shared by several components. Names are camelCase, as
/// Kubernetes' config APIs spell them, unless a member says otherwise (a kubeconfig's dashed names); null members are
/// left out of the file.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Kubeconfig))]
public sealed partial class ConfigFileJsonContext : JsonSerializerContext;
