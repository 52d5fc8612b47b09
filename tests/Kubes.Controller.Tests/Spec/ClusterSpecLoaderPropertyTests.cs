using System.Text.RegularExpressions;
using CsCheck;
using Kubes.Controller.Spec;
using YamlDotNet.RepresentationModel;

namespace Kubes.Controller.Tests.Spec;

public sealed partial class ClusterSpecLoaderPropertyTests
{
    [Fact]
    public void A_valid_spec_written_and_loaded_back_is_valid_and_equal()
    {
        ClusterSpecGen.Valid.Sample(spec =>
        {
            Assert.Empty(SpecValidator.Validate(spec));
            var yaml = ClusterSpecWriter.Write(spec);
            var loaded = ClusterSpecLoader.Load(yaml, "gen.yaml");
            Assert.True(loaded.IsValid, string.Join("\n", loaded.FormatProblems()) + "\n" + yaml);
            Assert.Equal(spec, loaded.Spec);
        }, iter: 300);
    }

    [Fact]
    public void A_valid_spec_saved_by_another_yaml_writer_loads_equal()
    {
        // YamlDotNet's own emitter lays the same document out differently (block lists, other quoting).
        ClusterSpecGen.Valid.Sample(spec =>
        {
            var reformatted = Save(Parse(ClusterSpecWriter.Write(spec)));
            var loaded = ClusterSpecLoader.Load(reformatted, "gen.yaml");
            Assert.True(loaded.IsValid, string.Join("\n", loaded.FormatProblems()) + "\n" + reformatted);
            Assert.Equal(spec, loaded.Spec);
        }, iter: 100);
    }

    [Fact]
    public void A_single_mutation_is_reported_at_its_path_and_line()
    {
        Gen.Select(ClusterSpecGen.Valid, Gen.Int[0, Mutations.Count - 1], Gen.Int[0, 1000])
            .Sample((spec, which, choice) =>
            {
                var root = Parse(ClusterSpecWriter.Write(spec));
                var (name, apply) = Mutations[which];
                var path = apply(root, spec, choice);
                var yaml = Save(root);

                var loaded = ClusterSpecLoader.Load(yaml, "mutated.yaml");

                Assert.False(loaded.IsValid, $"{name}: {path} was not reported\n{yaml}");
                var problems = loaded.Problems.Where(p => p.Path == path).ToList();
                Assert.True(problems.Count > 0, $"{name}: {path} was not reported\n{string.Join("\n", loaded.FormatProblems())}\n{yaml}");
                var mutated = Parse(yaml);
                foreach (var problem in problems)
                {
                    Assert.True(problem.Line > 0, $"{name}: {problem} has no line");
                    // An unknown field is reported at its key, anything else at its value.
                    var node = problem.Message.StartsWith("unknown field", StringComparison.Ordinal) ? FindKey(mutated, path) : Find(mutated, path);
                    if (node is not null) Assert.Equal((int)node.Start.Line, problem.Line);
                }
            }, iter: 600);
    }

    [Fact]
    public void Arbitrary_text_never_throws_and_every_invalid_result_says_why()
    {
        var text = Gen.String;
        var yamlish = Gen.OneOf("apiVersion", "kind", "metadata", "spec", "name", "etcd", "count", "zones", "kubes/v1",
                "Cluster", ":", ": ", " ", "  ", "\n", "\n  ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!x ",
                "'", "\"", "# c", "---\n", "...\n", "|\n", ">\n", "? ", "%YAML 1.2\n", "\t", "@", "`", "~", "3", "true",
                "\u0000", "\uFEFF", "<<: *a")
            .Array[0, 60].Select(parts => string.Concat(parts));
        Gen.OneOf(text, yamlish).Sample(input =>
        {
            var result = ClusterSpecLoader.Load(input, "garbage.yaml");
            Assert.True(result.IsValid || result.Problems.Count > 0);
            Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
        }, iter: 3000);
    }

    [Fact]
    public void Garbage_spliced_into_a_valid_spec_never_throws()
    {
        Gen.Select(ClusterSpecGen.Valid, Gen.Double[0, 1], Gen.String[0, 12]).Sample((spec, where, garbage) =>
        {
            var yaml = ClusterSpecWriter.Write(spec);
            var at = (int)(where * yaml.Length);
            var result = ClusterSpecLoader.Load(yaml[..at] + garbage + yaml[at..], "spliced.yaml");
            Assert.True(result.IsValid || result.Problems.Count > 0);
        }, iter: 1000);
    }

    private delegate string Mutation(YamlMappingNode root, ClusterSpec spec, int choice);

    /// <summary>Each breaks one rule and returns the path the loader must report.</summary>
    private static readonly IReadOnlyList<(string Name, Mutation Apply)> Mutations =
    [
        ("even etcd count", (root, _, choice) => Set(root, "spec.etcd.count", $"{2 * (choice % 4 + 1)}")),
        ("bad cidr", (root, _, choice) =>
            Set(root, Pick(choice, "spec.network.vpcCidr", "spec.network.podCidr", "spec.network.serviceCidr"),
                Pick(choice / 3, "10.0.0.300/16", "not-a-cidr", "10.0.0.0/33", "10.0.0.1/16", "10.0.0.0"))),
        ("unknown key", (root, _, choice) =>
        {
            var path = Pick(choice, "", "metadata", "spec", "spec.network", "spec.bastion", "spec.etcd", "spec.controllers",
                "spec.nodes", "spec.pki", "spec.addons");
            var key = "x" + new string('q', choice % 5 + 2);
            ((YamlMappingNode)Find(root, path)!).Add(key, "1");
            return path.Length == 0 ? key : $"{path}.{key}";
        }),
        ("misspelt key", (root, _, choice) =>
        {
            var (parent, key, typo) = Pick(choice, ("spec", "nodes", "nodez"), ("spec.etcd", "count", "cuont"),
                ("spec.network", "vpcCidr", "vpcCIDR"), ("metadata", "name", "nmae"), ("spec.pki", "keyAlgorithm", "keyAlgoritm"));
            var mapping = (YamlMappingNode)Find(root, parent)!;
            var value = mapping.Children[new YamlScalarNode(key)];
            mapping.Children.Remove(new YamlScalarNode(key));
            mapping.Add(typo, value);
            return $"{parent}.{typo}";
        }),
        ("bad enum", (root, _, choice) =>
            Set(root, Pick(choice, "spec.provider", "spec.cni", "spec.network.natGateways", "spec.agentChannel", "spec.pki.keyAlgorithm"),
                Pick(choice / 5, "weave", "AWS", "Cilium", "per-zone", "rsa"))),
        ("wrong type", (root, _, choice) =>
        {
            var path = Pick(choice, "spec.etcd.count", "spec.nodes.max", "spec.bastion.rootVolumeSizeGiB", "spec.pki.caLifetime",
                "spec.addons.dashboard", "spec.nodes.autoScaling");
            if (choice % 3 == 0) return Replace(root, path, new YamlMappingNode(new YamlScalarNode("a"), new YamlScalarNode("b")));
            return Set(root, path, Pick(choice / 6, "three", "3.5", "yes", "[1]"));
        }),
        ("duplicate zone", (root, spec, choice) =>
        {
            var zones = (YamlSequenceNode)Find(root, "spec.zones")!;
            var (from, to) = Pick(choice, (0, 1), (0, 2), (1, 2));
            zones.Children[to] = new YamlScalarNode(spec.Zones[from]);
            return $"spec.zones[{to}]";
        }),
        ("zone count", (root, _, choice) =>
        {
            var zones = (YamlSequenceNode)Find(root, "spec.zones")!;
            if (choice % 2 == 0) zones.Children.RemoveAt(choice % 3);
            else zones.Children.Add(new YamlScalarNode("zz-top-1q"));
            return "spec.zones";
        }),
        ("zone of another region", (root, _, choice) =>
        {
            var index = choice % 3;
            ((YamlSequenceNode)Find(root, "spec.zones")!).Children[index] = new YamlScalarNode("zz-elsewhere-9a");
            return $"spec.zones[{index}]";
        }),
        ("bad admin cidr", (root, spec, choice) =>
        {
            var admins = (YamlSequenceNode)Find(root, "spec.network.adminCidrs")!;
            admins.Children.Add(new YamlScalarNode(Pick(choice, "1.2.3.4", "1.2.3.4/40", "any")));
            return $"spec.network.adminCidrs[{spec.Network.AdminCidrs.Count}]";
        }),
        ("small root volume", (root, _, choice) =>
            Set(root, Pick(choice, "spec.bastion", "spec.etcd", "spec.controllers", "spec.nodes") + ".rootVolumeSizeGiB",
                $"{choice % SpecLimits.MinRootVolumeGiB}")),
        ("huge data volume", (root, _, choice) =>
            Set(root, Pick(choice, "spec.bastion", "spec.etcd", "spec.controllers", "spec.nodes") + ".volumeSizeGiB",
                $"{SpecLimits.MaxVolumeGiB + 1 + choice}")),
        ("bad name", (root, _, choice) =>
            Set(root, "metadata.name", Pick(choice, "Demo", "demo_1", "-demo", "demo-", new string('a', SpecLimits.MaxNameLength + 1)))),
        ("nodes above max", (root, spec, choice) => Set(root, "spec.nodes.count", $"{spec.Nodes.Max + 1 + choice}")),
        ("no apiVersion", (root, _, _) =>
        {
            root.Children.Remove(new YamlScalarNode("apiVersion"));
            return "apiVersion";
        }),
        ("wrong kind", (root, _, choice) => Set(root, "kind", Pick(choice, "Pod", "cluster", "ClusterSpec"))),
        ("unsupported version", (root, _, choice) =>
            Set(root, "spec.kubernetesVersion", Pick(choice, "1.34.2", "1.36", "v2.0.0", "1.37.1", "latest"))),
        ("bad state store", (root, spec, choice) =>
            Set(root, "spec.stateStore", spec.Provider == ProviderKind.Local
                ? Pick(choice, "s3://bucket", "S3://bucket/x", "")
                : Pick(choice, "s3://Bad_Bucket", "bucket", "s3://ab", "s3://a..b/x", "/tmp/state"))),
        ("bad instance type", (root, _, choice) =>
            Set(root, Pick(choice, "spec.bastion", "spec.etcd", "spec.controllers", "spec.nodes") + ".instanceType",
                Pick(choice / 4, "t3", "T3.large", "t3.", ".large", "t3 large"))),
        ("subnet outside the vpc", (root, spec, choice) =>
        {
            var list = Pick(choice, "spec.network.publicSubnets", "spec.network.privateSubnets");
            var subnets = (YamlSequenceNode)Find(root, list)!;
            const string outside = "192.0.2.0/24";
            if (subnets.Children.Count == 0) return Set(root, "spec.network.vpcCidr", outside);
            var index = choice % 3;
            subnets.Children[index] = new YamlScalarNode(outside);
            return $"{list}[{index}]";
        }),
        ("certificate outlives the CA", (root, spec, choice) =>
            Set(root, "spec.pki.certificateLifetime", $"{spec.Pki.CaLifetime.Minutes / 60 + 1 + choice}h")),
    ];

    private static T Pick<T>(int choice, params T[] options) => options[choice % options.Length];

    private static string Set(YamlMappingNode root, string path, string value) => Replace(root, path, new YamlScalarNode(value));

    private static string Replace(YamlMappingNode root, string path, YamlNode value)
    {
        var cut = path.LastIndexOf('.');
        var parent = (YamlMappingNode)Find(root, cut < 0 ? "" : path[..cut])!;
        parent.Children[new YamlScalarNode(cut < 0 ? path : path[(cut + 1)..])] = value;
        return path;
    }

    /// <summary>The node at a path like <c>spec.zones[1]</c>; null when there is none.</summary>
    private static YamlNode? Find(YamlNode root, string path)
    {
        var node = root;
        if (path.Length == 0) return node;
        foreach (Match step in PathStep().Matches(path))
        {
            if (step.Groups["key"].Success)
            {
                if (node is not YamlMappingNode mapping
                    || !mapping.Children.TryGetValue(new YamlScalarNode(step.Groups["key"].Value), out var child)) return null;
                node = child;
            }
            else
            {
                var index = int.Parse(step.Groups["index"].Value);
                if (node is not YamlSequenceNode sequence || index >= sequence.Children.Count) return null;
                node = sequence.Children[index];
            }
        }
        return node;
    }

    private static YamlNode? FindKey(YamlNode root, string path)
    {
        var cut = path.LastIndexOf('.');
        var key = cut < 0 ? path : path[(cut + 1)..];
        return Find(root, cut < 0 ? "" : path[..cut]) is YamlMappingNode parent
            ? parent.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var v } && v == key)
            : null;
    }

    private static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Save(YamlNode root)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    [GeneratedRegex(@"(?<key>[A-Za-z0-9]+)|\[(?<index>[0-9]+)\]")]
    private static partial Regex PathStep();
}
