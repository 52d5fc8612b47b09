using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kubes.StandIns.Configs;

/// <summary>
/// Reads a config file (YAML or JSON) strictly against its kind's field list, as the components decode theirs: the
/// apiVersion and kind must be the kind's, every field must be one the kind has (names are case-sensitive), a
/// duplicate key fails, and a scalar must fit its field's type. Fields whose type the list does not expand
/// (runtime.RawExtension, ObjectMeta, ...) are taken as they are.
/// </summary>
public static class StrictConfig
{
    public static YamlMappingNode Read(string where, string path, FieldSchema schema, bool typeMetaOptional = false)
    {
        var text = Files.Pem.ReadFile(where, path);
        return Parse($"{where} ({path})", text, schema, typeMetaOptional);
    }

    /// <param name="typeMetaOptional">A file without apiVersion and kind is taken as the schema's (kubeconfigs are).</param>
    public static YamlMappingNode Parse(string where, string text, FieldSchema schema, bool typeMetaOptional = false)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new StandInException($"{where}: not valid YAML at line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new StandInException($"{where}: must be one YAML or JSON object (a {schema.Kind})");
        var apiVersion = Scalar(root, "apiVersion") ?? (typeMetaOptional ? schema.ApiVersion : null);
        var kind = Scalar(root, "kind") ?? (typeMetaOptional ? schema.Kind : null);
        if (apiVersion != schema.ApiVersion || kind != schema.Kind)
            throw new StandInException(
                $"{where}: is apiVersion '{apiVersion}' kind '{kind}', where a {schema.Kind} of apiVersion '{schema.ApiVersion}' is expected");
        Check(where, root, "", schema);
        return root;
    }

    /// <summary>The scalar at a dotted path of mappings ("authentication.x509.clientCAFile"), or null.</summary>
    public static string? At(YamlMappingNode? node, string path)
    {
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
            node = node is not null && node.Children.TryGetValue(new YamlScalarNode(part), out var child) ? child as YamlMappingNode : null;
        return node is null ? null : Scalar(node, parts[^1]);
    }

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { } text } ? text : null;

    private static void Check(string where, YamlNode node, string path, FieldSchema schema)
    {
        var type = path.Length == 0 ? "object" : BaseType(schema.TypeOf(path));
        switch (node)
        {
            case YamlMappingNode mapping when schema.Expands(path, "."):
                foreach (var (key, value) in mapping.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    var field = path.Length == 0 ? name : $"{path}.{name}";
                    if (schema.TypeOf(field) is null)
                        throw new StandInException($"{where}: unknown field \"{field}\" (line {key.Start.Line}): a {schema.Kind} has no such field");
                    Check(where, value, field, schema);
                }

                break;
            case YamlMappingNode mapping when schema.Expands(path, "{}"):
                foreach (var (_, value) in mapping.Children) Check(where, value, path + "{}", schema);
                break;
            case YamlMappingNode when type is not null && (IsScalarType(type) || IsList(type)):
                throw new StandInException($"{where}: field \"{path}\" (line {node.Start.Line}) must be a {type}, not an object");
            case YamlSequenceNode sequence when schema.Expands(path, "[]"):
                foreach (var item in sequence.Children) Check(where, item, path + "[]", schema);
                break;
            case YamlSequenceNode when type is not null && (IsScalarType(type) || (Structured(type) && !IsList(type))):
                throw new StandInException($"{where}: field \"{path}\" (line {node.Start.Line}) must be a {type}, not a list");
            case YamlScalarNode scalar when type is not null && scalar.Value is { } value && !IsNull(scalar):
                if (!Fits(value, scalar.Style, type))
                    throw new StandInException($"{where}: field \"{path}\" (line {node.Start.Line}) must be a {type}, not '{value}'");
                if (!IsScalarType(type) && Structured(type))
                    throw new StandInException($"{where}: field \"{path}\" (line {node.Start.Line}) must be a {type}, not '{value}'");
                break;
        }
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";

    private static bool IsScalarType(string type) =>
        type is "string" or "bool" or "int" or "int32" or "int64" or "uint32" or "uint64" or "float32" or "float64" or "[]byte";

    /// <summary>The type an alias stands for ("Level (alias of string)" is a string), or the type itself.</summary>
    private static string? BaseType(string? type)
    {
        // A list or map of an alias ("[]Stage (alias of string)") stays a list or map.
        if (type is null || type.StartsWith("[]", StringComparison.Ordinal) || type.StartsWith("map[", StringComparison.Ordinal)) return type;
        var alias = type.IndexOf("(alias of ", StringComparison.Ordinal);
        return alias < 0 ? type : type[(alias + "(alias of ".Length)..].TrimEnd(')');
    }

    private static bool IsList(string type) => type.StartsWith("[]", StringComparison.Ordinal) && type != "[]byte";

    /// <summary>A list, map or struct type: a scalar cannot be one.</summary>
    private static bool Structured(string type) =>
        type.StartsWith("[]", StringComparison.Ordinal) || type.StartsWith("map[", StringComparison.Ordinal)
        || (type.Length > 0 && char.IsUpper(type[0]) && type != "TimeOrMetaDuration");

    private static bool Fits(string value, ScalarStyle style, string type)
    {
        var quoted = style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        return type switch
        {
            "bool" => !quoted && value is "true" or "false",
            "int" or "int32" or "int64" or "uint32" or "uint64" => !quoted && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "float32" or "float64" => !quoted && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
            _ => true,
        };
    }
}
