using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Kubes.Agent.ConfigFiles;

/// <summary>
/// A typed config-file model (a kubeconfig, a KubeletConfiguration, ...) as the YAML its component reads: serialized by a
/// System.Text.Json source generator (no reflection: the agent is Native AOT), keys in the model's declared order, unset
/// (null) members left out, then written as block YAML by <see cref="YamlWriter"/>.
/// </summary>
public static class ConfigFile
{
    public static string ToYaml<T>(T model, JsonTypeInfo<T> typeInfo) =>
        YamlWriter.Write(JsonSerializer.SerializeToElement(model, typeInfo));
}
