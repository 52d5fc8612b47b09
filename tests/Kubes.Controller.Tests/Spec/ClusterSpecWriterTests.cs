using System.Reflection;
using Kubes.Controller.Spec;
using YamlDotNet.RepresentationModel;

namespace Kubes.Controller.Tests.Spec;

public sealed class ClusterSpecWriterTests
{
    public static TheoryData<string> Defaults => ["aws", "aws-eu", "local"];

    private static ClusterSpec DefaultsNamed(string which) => which switch
    {
        "aws" => ClusterSpecDefaults.Aws("demo"),
        "aws-eu" => ClusterSpecDefaults.Aws("demo", "eu-west-1"),
        _ => ClusterSpecDefaults.Local("demo"),
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void The_written_defaults_load_back_valid_and_equal(string which)
    {
        var spec = DefaultsNamed(which);

        var loaded = ClusterSpecLoader.Load(ClusterSpecWriter.Write(spec), "init.yaml");

        Assert.True(loaded.IsValid, string.Join("\n", loaded.FormatProblems()));
        Assert.Equal(spec, loaded.Spec);
    }

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Every_field_of_the_model_is_written(string which)
    {
        var written = LeafPaths(ClusterSpecWriter.Write(DefaultsNamed(which)));

        Assert.Equal(ModelPaths().Order(), written.Order());
    }

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Every_line_is_a_comment_or_carries_one(string which)
    {
        var lines = ClusterSpecWriter.Write(DefaultsNamed(which)).TrimEnd('\n').Split('\n');

        Assert.All(lines, line => Assert.True(line.TrimStart().StartsWith('#') || line.Contains(" # "), line));
    }

    [Fact]
    public void Comments_give_the_allowed_values()
    {
        var yaml = ClusterSpecWriter.Write(ClusterSpecDefaults.Aws("demo"));

        Assert.Contains("provider: aws                     # aws | local", yaml);
        Assert.Contains("count: 3                        # 1, 3, 5 or 7", yaml);
        Assert.Contains("supported: 1.35.x, 1.36.x", yaml);
        Assert.Contains("keyAlgorithm: ecdsa-p256        # ecdsa-p256 | rsa-2048 | rsa-4096", yaml);
    }

    /// <summary>The YAML paths of the model's properties, found by reflection so a new property cannot be forgotten.</summary>
    private static IEnumerable<string> ModelPaths()
    {
        yield return "apiVersion";
        yield return "kind";
        foreach (var property in typeof(ClusterSpec).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.Name == nameof(ClusterSpec.Name))
            {
                yield return "metadata.name";
                continue;
            }
            foreach (var path in PathsOf(property, "spec")) yield return path;
        }
    }

    /// <summary>A property's path, or those of its own properties when it is a section (a class other than a string or list).</summary>
    private static IEnumerable<string> PathsOf(PropertyInfo property, string parent)
    {
        var path = $"{parent}.{Camel(property.Name)}";
        var type = property.PropertyType;
        if (type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
            return type.GetProperties(BindingFlags.Public | BindingFlags.Instance).SelectMany(inner => PathsOf(inner, path));
        return [path];
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static IEnumerable<string> LeafPaths(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Leaves(stream.Documents[0].RootNode, "");

        // An empty mapping ({}) is a leaf: the field is written, with nothing in it.
        static IEnumerable<string> Leaves(YamlNode node, string path) => node is YamlMappingNode { Children.Count: > 0 } mapping
            ? mapping.Children.SelectMany(c => Leaves(c.Value, path.Length == 0 ? $"{c.Key}" : $"{path}.{c.Key}"))
            : [path];
    }
}
