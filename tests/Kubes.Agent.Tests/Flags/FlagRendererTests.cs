using CsCheck;
using Kubes.Agent.Conversation;
using Kubes.Agent.Flags;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Flags;

public sealed class FlagRendererTests
{
    private static readonly KubernetesMinor V134 = new(1, 34);
    private static readonly KubernetesMinor V135 = new(1, 35);

    /// <summary>A few kubelet flags as a kubelet flags record would set them (the record itself comes with the kubelet).</summary>
    private static FlagSet KubeletLike() => new FlagSet()
        .Add("node-ip", "10.0.3.10")
        .Add("config", "/var/lib/kubelet/config.yaml")
        // Removed in Kubernetes 1.35 (kubernetes/kubernetes CHANGELOG-1.35, urgent upgrade notes).
        .Add("pod-infra-container-image", "registry.k8s.io/pause:3.10", FlagGate.UpTo(1, 34))
        .Add("register-node", true)
        .Add("v", 2L)
        .Add("node-labels", new Dictionary<string, string> { ["zone"] = "b", ["kubes.io/role"] = "node" });

    [Fact]
    public void Flags_are_sorted_by_name_with_booleans_explicit_and_maps_as_sorted_pairs()
    {
        var words = FlagRenderer.Render(KubeletLike(), V134, []);

        Assert.Equal(
        [
            "--config=/var/lib/kubelet/config.yaml",
            "--node-ip=10.0.3.10",
            "--node-labels=kubes.io/role=node,zone=b",
            "--pod-infra-container-image=registry.k8s.io/pause:3.10",
            "--register-node=true",
            "--v=2",
        ], words);
    }

    [Fact]
    public void A_flag_gated_up_to_a_minor_is_left_out_after_it()
    {
        Assert.Contains("--pod-infra-container-image=registry.k8s.io/pause:3.10", FlagRenderer.Render(KubeletLike(), V134, []));
        Assert.DoesNotContain(FlagRenderer.Render(KubeletLike(), V135, []), w => w.StartsWith("--pod-infra-container-image"));
    }

    [Fact]
    public void A_flag_gated_from_a_minor_is_left_out_before_it()
    {
        var flags = new FlagSet().Add("min-compatibility-version", "1.35", FlagGate.Since(1, 35));

        Assert.Empty(FlagRenderer.Render(flags, V134, []));
        Assert.Equal(["--min-compatibility-version=1.35"], FlagRenderer.Render(flags, new KubernetesMinor(1, 36), []));
    }

    [Fact]
    public void A_gated_flag_without_a_version_to_decide_is_a_programming_error()
    {
        var error = Assert.Throws<ArgumentException>(() => FlagRenderer.Render(KubeletLike(), version: null, []));

        Assert.Contains("--pod-infra-container-image exists up to 1.34 only", error.Message);
    }

    [Fact]
    public void The_specs_overrides_replace_Kubes_values_and_add_flags_in_order()
    {
        var words = FlagRenderer.Render(KubeletLike(), V135,
        [
            new Flag { Name = "v", Value = "4" },
            new Flag { Name = "max-pods", Value = "250" },
        ]);

        Assert.Equal(
        [
            "--config=/var/lib/kubelet/config.yaml",
            "--max-pods=250",
            "--node-ip=10.0.3.10",
            "--node-labels=kubes.io/role=node,zone=b",
            "--register-node=true",
            "--v=4",
        ], words);
    }

    [Theory]
    [InlineData("--v")]
    [InlineData("v=1")]
    [InlineData("")]
    [InlineData("a b")]
    public void An_override_that_is_not_a_flag_name_is_refused(string name) =>
        Assert.Throws<InvalidRoleConfigException>(() => FlagRenderer.Render(new FlagSet(), V135, [new Flag { Name = name, Value = "x" }]));

    [Fact]
    public void A_flag_is_set_in_one_place_only() =>
        Assert.Throws<ArgumentException>(() => new FlagSet().Add("v", 1L).Add("v", 2L));

    [Fact]
    public void Unset_values_add_no_flag() =>
        Assert.Empty(FlagRenderer.Render(new FlagSet()
            .Add("a", (string?)null).Add("b", (bool?)null).Add("c", (long?)null).Add("d", Array.Empty<string>())
            .Add("e", new Dictionary<string, string>()), V135, []));

    [Fact]
    public void A_list_item_holding_a_comma_is_refused() =>
        Assert.Throws<ArgumentException>(() => new FlagSet().Add("tls-cipher-suites", ["A,B", "C"]));

    private static readonly Gen<string> FlagName = Gen.String[Gen.Char["abcdefgh-"], 1, 6].Where(n => n[0] != '-');

    [Fact]
    public void Any_flags_and_overrides_render_sorted_unique_with_every_override_winning() =>
        Gen.Select(FlagName.Array[0, 8], FlagName.Array[0, 5], Gen.Int[30, 37]).Sample((names, overrides, minor) =>
        {
            var flags = new FlagSet();
            foreach (var (name, i) in names.Distinct().Select((n, i) => (n, i)))
            {
                flags.Add(name, $"kubes{i}", i % 2 == 0 ? FlagGate.UpTo(1, 34) : null);
            }

            var extra = overrides.Distinct().Select(n => new Flag { Name = n, Value = "spec" }).ToList();
            var words = FlagRenderer.Render(flags, new KubernetesMinor(1, minor), extra);
            var rendered = words.Select(w => w[2..].Split('=', 2)).ToList();
            var renderedNames = rendered.Select(r => r[0]).ToList();
            return words.All(w => w.StartsWith("--"))
                   && renderedNames.SequenceEqual(renderedNames.Order(StringComparer.Ordinal))
                   && renderedNames.Distinct().Count() == renderedNames.Count
                   && extra.All(e => rendered.Any(r => r[0] == e.Name && r[1] == "spec"))
                   && flags.Entries.All(f => extra.Any(e => e.Name == f.Name) || (f.Gate?.Allows(new KubernetesMinor(1, minor)) ?? true)
                       == rendered.Any(r => r[0] == f.Name && r[1] == f.Value));
        });
}
