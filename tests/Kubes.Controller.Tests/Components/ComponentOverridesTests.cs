using CsCheck;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Etcd;
using Kubes.Controller.Components.Flags;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Components;

/// <summary><c>spec.components</c>: what an operator may override, and how a refusal reads.</summary>
public sealed class ComponentOverridesTests
{
    private static readonly ClusterSpec Aws = ClusterSpecDefaults.Aws("demo");
    private static readonly ClusterSpec Local = ClusterSpecDefaults.Local("demo");
    private static readonly EtcdComponent Etcd = new();

    private static ClusterSpec WithEtcdFlags(ClusterSpec spec, params (string Flag, string Value)[] flags) => spec with
    {
        Components = new Dictionary<string, ComponentSpec>
        {
            ["etcd"] = new() { ExtraArgs = flags.ToDictionary(f => f.Flag, f => f.Value) },
        },
    };

    private static IReadOnlyList<SpecProblem> ComponentProblems(ClusterSpec spec) =>
        [.. SpecValidator.Validate(spec).Where(p => p.Path.StartsWith("spec.components", StringComparison.Ordinal))];

    private static FlagSet FlagsOf(ClusterSpec spec) => FlagCatalogue.For("etcd", Etcd.FlagVersion(spec)!);

    [Fact]
    public void An_unknown_component_is_refused_with_the_ones_that_take_overrides()
    {
        var spec = Aws with { Components = new Dictionary<string, ComponentSpec> { ["etdc"] = new() } };

        var problem = Assert.Single(SpecValidator.Validate(spec));

        Assert.Equal("spec.components.etdc", problem.Path);
        Assert.Equal("is not a component Kubes takes overrides for (did you mean etcd?); those are: etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy", problem.Message);
    }

    [Fact]
    public void A_node_flag_kubes_sets_is_refused_and_one_it_leaves_open_passes()
    {
        var locked = Aws with { Components = new Dictionary<string, ComponentSpec>
        {
            ["kubelet"] = new() { ExtraArgs = new Dictionary<string, string> { ["anonymous-auth"] = "true" } },
            ["kube-proxy"] = new() { ExtraArgs = new Dictionary<string, string> { ["metrics-bind-address"] = "0.0.0.0:10249" } },
        } };
        var open = Aws with { Components = new Dictionary<string, ComponentSpec>
        {
            ["kubelet"] = new() { ExtraArgs = new Dictionary<string, string> { ["v"] = "4" } },
            ["kube-proxy"] = new() { ExtraArgs = new Dictionary<string, string> { ["v"] = "2" } },
        } };

        var problems = SpecValidator.Validate(locked);

        Assert.Equal(["spec.components.kube-proxy.extraArgs.metrics-bind-address", "spec.components.kubelet.extraArgs.anonymous-auth"],
            problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        Assert.Empty(SpecValidator.Validate(open));
    }

    [Fact]
    public void A_flag_the_version_does_not_have_is_refused_naming_the_version_and_the_nearest_flag()
    {
        var problem = Assert.Single(SpecValidator.Validate(WithEtcdFlags(Aws, ("quota-backend-byte", "8589934592"))));

        Assert.Equal("spec.components.etcd.extraArgs.quota-backend-byte", problem.Path);
        Assert.Equal("etcd 3.6 has no flag --quota-backend-byte (did you mean quota-backend-bytes?)", problem.Message);
    }

    [Fact]
    public void A_flag_only_the_newer_etcd_has_is_accepted_on_aws_and_refused_by_the_local_providers_etcd()
    {
        Assert.Empty(SpecValidator.Validate(WithEtcdFlags(Aws, ("compact-hash-check-time", "2m"))));

        var problem = Assert.Single(SpecValidator.Validate(WithEtcdFlags(Local, ("compact-hash-check-time", "2m"))));
        Assert.Equal("spec.components.etcd.extraArgs.compact-hash-check-time", problem.Path);
        Assert.StartsWith("etcd 3.4 has no flag --compact-hash-check-time", problem.Message);
    }

    [Fact]
    public void A_flag_written_with_its_dashes_is_refused_with_the_bare_name()
    {
        var problem = Assert.Single(SpecValidator.Validate(WithEtcdFlags(Aws, ("--quota-backend-bytes", "8589934592"))));

        Assert.Equal("spec.components.etcd.extraArgs.--quota-backend-bytes", problem.Path);
        Assert.Equal("write the flag without its dashes: quota-backend-bytes", problem.Message);
    }

    [Theory]
    [InlineData("cert-file", "Kubes sets the member's TLS")]
    [InlineData("client-cert-auth", "Kubes sets the member's TLS")]
    [InlineData("peer-client-cert-auth", "Kubes sets the member's TLS")]
    [InlineData("listen-client-urls", "Kubes sets the member's name, addresses and data folder")]
    [InlineData("initial-cluster", "Kubes bootstraps the membership")]
    [InlineData("auto-tls", "it would serve or trust outside the certificates Kubes issues")]
    [InlineData("config-file", "etcd ignores every other flag")]
    public void A_flag_kubes_sets_for_the_trust_model_is_refused_with_the_reason(string flag, string reason)
    {
        foreach (var spec in new[] { Aws, Local })
        {
            var problem = Assert.Single(SpecValidator.Validate(WithEtcdFlags(spec, (flag, "x"))));
            Assert.Equal($"spec.components.etcd.extraArgs.{flag}", problem.Path);
            Assert.StartsWith($"--{flag} cannot be overridden: {reason}", problem.Message);
        }
    }

    [Fact]
    public void A_value_on_more_than_one_line_is_refused()
    {
        var problem = Assert.Single(SpecValidator.Validate(WithEtcdFlags(Aws, ("log-level", "info\n--auto-tls"))));

        Assert.Equal(("spec.components.etcd.extraArgs.log-level", "must be one line of text, without control characters"),
            (problem.Path, problem.Message));
    }

    [Fact]
    public void Every_flag_listed_for_the_clusters_etcd_that_kubes_leaves_open_is_accepted()
    {
        foreach (var spec in new[] { Aws, Local })
        {
            var open = FlagsOf(spec).Names.Where(flag => !Etcd.LockedFlags.ContainsKey(flag)).ToList();
            Assert.True(open.Count > 40, $"only {open.Count} open flags for {FlagsOf(spec)}");
            Assert.Empty(ComponentProblems(WithEtcdFlags(spec, [.. open.Select(flag => (flag, "1"))])));
        }
    }

    [Fact]
    public void Every_locked_flag_the_version_has_is_refused()
    {
        foreach (var spec in new[] { Aws, Local })
        {
            var locked = Etcd.LockedFlags.Keys.Where(FlagsOf(spec).Contains).ToList();
            var problems = ComponentProblems(WithEtcdFlags(spec, [.. locked.Select(flag => (flag, "1"))]));
            Assert.Equal(locked.Order(StringComparer.Ordinal), problems.Select(p => p.Path["spec.components.etcd.extraArgs.".Length..]).Order(StringComparer.Ordinal));
            Assert.All(problems, p => Assert.Contains("cannot be overridden", p.Message));
        }
    }

    [Fact]
    public void Any_flag_name_not_in_the_versions_list_is_refused()
    {
        var name = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_."], 1, 40];
        Gen.Select(name, Gen.Bool).Sample((flag, local) =>
        {
            var spec = local ? Local : Aws;
            var flags = FlagsOf(spec);
            var problems = ComponentProblems(WithEtcdFlags(spec, (flag, "1")));
            var bare = flag.TrimStart('-');
            if (flag == bare && flags.Contains(flag))
            {
                Assert.Equal(Etcd.LockedFlags.ContainsKey(flag), problems.Count == 1);
                return;
            }
            var problem = Assert.Single(problems);
            Assert.Equal($"spec.components.etcd.extraArgs.{flag}", problem.Path);
            if (flags.Contains(bare)) Assert.Equal($"write the flag without its dashes: {bare}", problem.Message);
            else Assert.StartsWith($"{flags} has no flag --{bare}", problem.Message);
        }, iter: 2000);
    }

    [Fact]
    public void A_problem_of_a_loaded_file_points_at_the_flags_own_line()
    {
        const string yaml = """
            apiVersion: kubes/v1
            kind: Cluster
            metadata:
              name: demo
            spec:
              components:
                etcd:
                  extraArgs:
                    quota-backend-bytes: "8589934592"
                    no-such-flag: "1"
            """;

        var loaded = ClusterSpecLoader.Load(yaml, "cluster.yaml");

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(("spec.components.etcd.extraArgs.no-such-flag", 10, 23), (problem.Path, problem.Line, problem.Column));
    }

    [Fact]
    public void A_flag_value_that_is_not_text_is_refused_where_it_is()
    {
        const string yaml = """
            apiVersion: kubes/v1
            kind: Cluster
            metadata:
              name: demo
            spec:
              components:
                etcd:
                  extraArgs:
                    log-level: [debug]
                    quota-backend-bytes:
            """;

        var problems = ClusterSpecLoader.Load(yaml, "cluster.yaml").Problems;

        Assert.Equal(
            [("spec.components.etcd.extraArgs.log-level", 9), ("spec.components.etcd.extraArgs.quota-backend-bytes", 10)],
            problems.Select(p => (p.Path, p.Line)));
    }
}
