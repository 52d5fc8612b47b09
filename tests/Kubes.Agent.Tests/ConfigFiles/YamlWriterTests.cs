using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Kubes.Agent.ConfigFiles;
using Kubes.Agent.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Kubes.Agent.Tests.ConfigFiles;

public sealed partial class YamlWriterTests
{
    /// <summary>
    /// What a YAML 1.1 reader (go-yaml v2, which Kubernetes' sigs.k8s.io/yaml uses) makes of a plain scalar that is not a
    /// string: booleans, null, integers (binary, octal, decimal, hex, sexagesimal) and floats.
    /// </summary>
    [GeneratedRegex(@"^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|~|null|Null|NULL|" +
                    @"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+|" +
                    @"[-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|" +
                    @"\d{4}-\d\d?-\d\d?.*)$")]
    private static partial Regex NotAString();

    private static YamlNode Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Single().RootNode;
    }

    /// <summary>Whether the YAML node means exactly the JSON value.</summary>
    private static bool Means(YamlNode node, JsonNode? json) => (node, json) switch
    {
        (YamlMappingNode map, JsonObject obj) =>
            map.Children.Count == obj.Count
            && map.Children.Zip(obj).All(pair =>
                pair.First.Key is YamlScalarNode key && Text(key) == pair.Second.Key && Means(pair.First.Value, pair.Second.Value)),
        (YamlSequenceNode list, JsonArray array) =>
            list.Children.Count == array.Count && list.Children.Zip(array).All(pair => Means(pair.First, pair.Second)),
        (YamlScalarNode scalar, JsonValue value) => value.GetValueKind() switch
        {
            JsonValueKind.String => Text(scalar) == value.GetValue<string>(),
            JsonValueKind.Number => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
                                    && double.Parse(scalar.Value!, CultureInfo.InvariantCulture) == double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
            JsonValueKind.True or JsonValueKind.False => scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
                                                         && scalar.Value == (value.GetValue<bool>() ? "true" : "false"),
            _ => false,
        },
        _ => false,
    };

    /// <summary>A scalar's text, as long as a reader takes it for a string at all.</summary>
    private static string? Text(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && NotAString().IsMatch(scalar.Value!) ? null : scalar.Value;

    private static readonly Gen<string> Words = Gen.OneOf(
        Gen.String[Gen.Char.AlphaNumeric, 0, 8],
        Gen.String[Gen.Char["abc019 :#-_./\"'\\{}[],&*!|>%@`\t\n\u00e9\u2028\u0085"], 0, 8],
        Gen.OneOf<string>("true", "Off", "y", "null", "~", "1.5", "0x1F", "010", "-", "- a", ": b", "a: b", "#c", "2001-12-14", ".inf",
            "kubelet.config.k8s.io/v1beta1", "/etc/kubes/pki/ca.crt", "10.96.0.10", "https://127.0.0.1:6443", ""));

    private static Gen<JsonNode> Node(int depth) => depth == 0
        ? Gen.OneOf(
            Words.Select(s => (JsonNode)JsonValue.Create(s)),
            Gen.Int.Select(i => (JsonNode)JsonValue.Create(i)),
            Gen.Double[-1e6, 1e6].Select(d => (JsonNode)JsonValue.Create(Math.Round(d, 3))),
            Gen.Bool.Select(b => (JsonNode)JsonValue.Create(b)))
        : Gen.OneOf(
            Node(0),
            Gen.Dictionary(Words, Node(depth - 1))[0, 4].Select(d => (JsonNode)new JsonObject(d.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.DeepClone())))),
            Node(depth - 1).Array[0, 4].Select(items => (JsonNode)new JsonArray(items.Select(i => i.DeepClone()).ToArray())));

    [Fact]
    public void Any_document_reads_back_as_the_same_values() =>
        Gen.Dictionary(Words, Node(3))[0, 5].Sample(fields =>
        {
            var json = new JsonObject(fields.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.DeepClone())));
            var yaml = YamlWriter.Write(JsonSerializer.SerializeToElement(json));
            return fields.Count == 0 ? yaml == "{}\n" : Means(Read(yaml), json);
        }, iter: 400);

    [Theory]
    [InlineData("kube-system", "kube-system")]
    [InlineData("/etc/kubes/pki/ca.crt", "/etc/kubes/pki/ca.crt")]
    [InlineData("On", "\"On\"")]
    [InlineData("no", "\"no\"")]
    [InlineData("10.96.0.10", "\"10.96.0.10\"")]
    [InlineData("https://127.0.0.1:6443", "\"https://127.0.0.1:6443\"")]
    [InlineData("", "\"\"")]
    [InlineData("say \"hi\"\n", "\"say \\\"hi\\\"\\n\"")]
    public void Strings_are_plain_only_when_nothing_else_can_be_read_into_them(string value, string written) =>
        Assert.Equal(written, YamlWriter.Scalar(value));

    [Fact]
    public void The_shapes_of_a_config_file_are_the_golden_file()
    {
        var document = JsonNode.Parse("""
            {
              "apiVersion": "kubelet.config.k8s.io/v1beta1",
              "kind": "KubeletConfiguration",
              "authentication": { "x509": { "clientCAFile": "/etc/kubes/pki/kubelet-ca.crt" }, "anonymous": { "enabled": false } },
              "clusterDNS": ["10.96.0.10"],
              "evictionHard": { "memory.available": "100Mi", "nodefs.available": "10%" },
              "registerWithTaints": [ { "key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule" }, { "key": "b" } ],
              "maxPods": 110,
              "emptyMap": {},
              "emptyList": [],
              "nested": [[1, 2], []]
            }
            """)!;

        Golden.AssertMatches("shapes.yaml", YamlWriter.Write(JsonSerializer.SerializeToElement(document)));
    }

    [Fact]
    public void A_config_file_is_an_object_at_its_top() =>
        Assert.Throws<ArgumentException>(() => YamlWriter.Write(JsonSerializer.SerializeToElement(new[] { 1 })));
}
