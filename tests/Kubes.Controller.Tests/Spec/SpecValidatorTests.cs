using System.Globalization;
using CsCheck;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Spec;

public sealed class SpecValidatorTests
{
    private static readonly ClusterSpec Aws = ClusterSpecDefaults.Aws("demo");
    private static readonly ClusterSpec Local = ClusterSpecDefaults.Local("demo");

    private static SpecProblem Only(ClusterSpec spec) => Assert.Single(SpecValidator.Validate(spec));

    private static void AssertOnly(ClusterSpec spec, string path, string message)
    {
        var problem = Only(spec);
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message);
    }

    private static ClusterSpec WithNetwork(ClusterSpec spec, Func<NetworkSpec, NetworkSpec> change) =>
        spec with { Network = change(spec.Network) };

    [Fact]
    public void The_defaults_of_both_providers_are_valid()
    {
        Assert.Empty(SpecValidator.Validate(Aws));
        Assert.Empty(SpecValidator.Validate(Local));
        Assert.Empty(SpecValidator.Validate(ClusterSpecDefaults.Aws("x", "ap-southeast-2")));
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("Demo", "must be a DNS-1123 label")]
    [InlineData("demo_1", "must be a DNS-1123 label")]
    [InlineData("-demo", "must be a DNS-1123 label")]
    [InlineData("demo-", "must be a DNS-1123 label")]
    [InlineData("demo\n", "must be a DNS-1123 label")]
    [InlineData("a123456789b123456789c123456789d123456789e", "1 to 40 lower-case letters")]
    public void The_name_is_a_short_dns_label(string name, string message) =>
        AssertOnly(Aws with { Name = name }, "metadata.name", message);

    [Theory]
    [InlineData("1")]
    [InlineData("a123456789b123456789c123456789d123456789")]
    [InlineData("my-cluster-2")]
    public void Short_dns_labels_are_names(string name) => Assert.Empty(SpecValidator.Validate(Aws with { Name = name }));

    [Fact]
    public void Zones_are_exactly_three_distinct_zones_of_the_region()
    {
        AssertOnly(Aws with { Zones = ["us-east-1a", "us-east-1b"] }, "spec.zones", "exactly 3 zones");
        AssertOnly(Aws with { Zones = ["us-east-1a", "us-east-1b", "us-east-1a"] }, "spec.zones[2]", "repeats spec.zones[0]");
        AssertOnly(Aws with { Zones = ["us-east-1a", "us-west-2b", "us-east-1c"] }, "spec.zones[1]",
            "must be the region followed by one letter, like us-east-1a (got 'us-west-2b')");
        AssertOnly(Aws with { Zones = ["us-east-1a", "us-east-1bb", "us-east-1c"] }, "spec.zones[1]", "one letter");
        AssertOnly(Aws with { Zones = ["us-east-1a", "us-east-1B", "us-east-1c"] }, "spec.zones[1]", "one letter");
    }

    [Theory]
    [InlineData(ProviderKind.Aws, "useast1")]
    [InlineData(ProviderKind.Aws, "US-EAST-1")]
    [InlineData(ProviderKind.Aws, "local-1")]
    [InlineData(ProviderKind.Local, "us-east-1")]
    public void The_region_fits_the_provider(ProviderKind provider, string region)
    {
        var spec = (provider == ProviderKind.Aws ? Aws : Local) with { Region = region, Zones = ClusterSpecDefaults.ZonesOf(region) };
        AssertOnly(spec, "spec.region", provider == ProviderKind.Aws ? "must be an AWS region" : "must be local-N");
    }

    [Fact]
    public void The_kubernetes_version_must_be_a_supported_patch_release_and_the_message_says_which()
    {
        foreach (var version in new[] { "1.34.2", "1.37.0", "1.36", "latest", "1.36.x", "vvv1.36.99999999999999999999", "vv1.36.3",
                     "V1.36.3", "1.36.3 ", "1.036.3", "01.36.3", "1.36.03", "1.36.1000", "1.36.-1", "+1.36.3", "1.36.3-rc.0", "1.36.3\n",
                     "١.36.3" })
            AssertOnly(Aws with { KubernetesVersion = version }, "spec.kubernetesVersion",
                "supported release major.minor.patch (an optional leading v): 1.35.x, 1.36.x");
        foreach (var version in new[] { "1.35.0", "v1.35.7", "1.36.999", "v1.36.3" })
            Assert.Empty(SpecValidator.Validate(Aws with { KubernetesVersion = version }));
    }

    [Fact]
    public void A_kubernetes_version_is_accepted_exactly_when_it_is_a_plain_release_of_a_supported_minor()
    {
        var part = Gen.OneOf(Gen.Int[0, 1200].Select(n => n.ToString(CultureInfo.InvariantCulture)), Gen.Const("01"), Gen.Const("032"),
            Gen.Const(""), Gen.Const("99999999999999999999"), Gen.String[Gen.Char["0123456789vx.-+ "], 1, 4]);
        var accepted = 0;
        Gen.Select(Gen.OneOf(Gen.Const(""), Gen.Const("v"), Gen.Const("vv"), Gen.Const("V"), Gen.Const("vvv")),
                Gen.OneOf(Gen.Const("1"), part), Gen.OneOf(Gen.Int[34, 36].Select(n => $"{n}"), part), part)
            .Sample((prefix, major, minor, patch) =>
            {
                var version = $"{prefix}{major}.{minor}.{patch}";
                var plain = (string p) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    && n.ToString(CultureInfo.InvariantCulture) == p && n < 1000;
                // Judged on the whole string: a part may itself hold a v or a dot.
                var parts = (version.StartsWith('v') ? version[1..] : version).Split('.');
                var expected = parts.Length == 3 && parts.All(plain) && KubernetesVersions.SupportedMinors.Contains($"{parts[0]}.{parts[1]}");
                Assert.True(expected == KubernetesVersions.IsSupported(version), $"'{version}' should be {(expected ? "accepted" : "refused")}");
                if (expected) Interlocked.Increment(ref accepted);
            }, iter: 10_000);
        Assert.True(accepted > 50, $"only {accepted} supported versions were generated");
    }

    [Theory]
    [InlineData("10.0.0.0", "is not a CIDR block")]
    [InlineData("10.0.0.1/16", "has host bits set")]
    [InlineData("10.0.0.0/15", "must be between /16 and /23 (got /15)")]
    [InlineData("10.0.0.0/24", "must be between /16 and /23 (got /24)")]
    [InlineData("100.64.0.0/16", "must be inside a private range")]
    public void The_aws_vpc_is_a_private_block_of_16_to_23_bits(string vpc, string message)
    {
        var problems = SpecValidator.Validate(WithNetwork(Aws, n => n with { VpcCidr = vpc }));
        Assert.Contains(problems, p => p.Path == "spec.network.vpcCidr" && p.Message.Contains(message));
    }

    [Theory]
    [InlineData("127.42.0.0/16", "must be inside a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16): the local "
        + "provider gives each instance a network namespace at its VPC address, like 10.42.0.0/16 (got 127.42.0.0/16)")]
    [InlineData("100.64.0.0/16", "must be inside a private range")]
    [InlineData("10.5.0.0/25", "must be between /16 and /23")]
    [InlineData("10.4.0.0/15", "must be between /16 and /23")]
    public void The_local_vpc_is_a_private_block_of_16_to_23_bits_as_on_aws(string vpc, string message)
    {
        var problems = SpecValidator.Validate(WithNetwork(Local, n => n with { VpcCidr = vpc }));
        Assert.Contains(problems, p => p.Path == "spec.network.vpcCidr" && p.Message.Contains(message));
    }

    [Fact]
    public void Pod_service_and_vpc_ranges_must_not_overlap()
    {
        AssertOnly(WithNetwork(Aws, n => n with { PodCidr = "10.0.0.0/12" }), "spec.network.podCidr",
            "10.0.0.0/12 overlaps spec.network.vpcCidr (10.0.0.0/16)");
        AssertOnly(WithNetwork(Aws, n => n with { ServiceCidr = "10.200.0.0/24" }), "spec.network.serviceCidr",
            "overlaps spec.network.podCidr");
    }

    [Fact]
    public void An_overlap_is_reported_at_the_field_the_file_sets()
    {
        var yaml = "apiVersion: kubes/v1\nkind: Cluster\nmetadata: {name: demo}\nspec:\n  network:\n    podCidr: 10.32.0.0/16\n";

        var problem = Assert.Single(ClusterSpecLoader.Load(yaml, "c.yaml").Problems);

        Assert.Equal(("spec.network.podCidr", 6), (problem.Path, problem.Line));
        Assert.Contains("overlaps spec.network.serviceCidr (10.32.0.0/24)", problem.Message);
    }

    [Fact]
    public void The_pod_range_holds_a_24_per_node_up_to_the_maximum()
    {
        AssertOnly(WithNetwork(Aws, n => n with { PodCidr = "10.200.0.0/21" }) with { Nodes = Aws.Nodes with { Max = 9 } },
            "spec.network.podCidr", "must hold a /24 for each of up to 9 nodes (spec.nodes.max), so /20 or larger (got /21)");
        Assert.Empty(SpecValidator.Validate(WithNetwork(Aws, n => n with { PodCidr = "10.200.0.0/21" }) with { Nodes = Aws.Nodes with { Max = 8 } }));
    }

    [Fact]
    public void The_service_range_is_12_to_28_bits()
    {
        AssertOnly(WithNetwork(Aws, n => n with { ServiceCidr = "10.32.0.0/29" }), "spec.network.serviceCidr", "between /12");
        AssertOnly(WithNetwork(Aws, n => n with { ServiceCidr = "172.0.0.0/11" }), "spec.network.serviceCidr", "between /12");
    }

    [Fact]
    public void Admin_cidrs_must_parse()
    {
        AssertOnly(WithNetwork(Aws, n => n with { AdminCidrs = ["203.0.113.0/24", "203.0.113.7"] }), "spec.network.adminCidrs[1]",
            "is not a CIDR block");
    }

    private static readonly string[] GoodPublic = ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"];
    private static readonly string[] GoodPrivate = ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"];

    [Fact]
    public void Listed_subnets_are_one_per_zone_inside_the_vpc_and_apart()
    {
        Assert.Empty(SpecValidator.Validate(WithNetwork(Aws, n => n with { PublicSubnets = GoodPublic, PrivateSubnets = GoodPrivate })));

        AssertOnly(WithNetwork(Aws, n => n with { PublicSubnets = GoodPublic[..2] }), "spec.network.publicSubnets",
            "must list one subnet per zone (3), or none");
        AssertOnly(WithNetwork(Aws, n => n with { PrivateSubnets = ["10.0.0.0/20", "10.1.0.0/20", "10.0.32.0/20"] }),
            "spec.network.privateSubnets[1]", "must be inside spec.network.vpcCidr (10.0.0.0/16)");
        AssertOnly(WithNetwork(Aws, n => n with { PrivateSubnets = ["10.0.0.0/20", "10.0.8.0/21", "10.0.32.0/20"] }),
            "spec.network.privateSubnets[1]", "overlaps spec.network.privateSubnets[0] (10.0.0.0/20)");
        AssertOnly(WithNetwork(Aws, n => n with { PrivateSubnets = ["10.0.128.0/20", "10.0.16.0/20", "10.0.32.0/20"] }),
            "spec.network.privateSubnets[0]", "overlaps the public subnet of zone 0 derived from spec.network.vpcCidr");
        AssertOnly(WithNetwork(Aws, n => n with { PrivateSubnets = ["10.0.0.0/20", "10.0.16.0/20", "x"] }),
            "spec.network.privateSubnets[2]", "is not a CIDR block");
    }

    [Fact]
    public void A_listed_subnet_must_hold_the_fixed_slot_addresses()
    {
        // Nodes sit at .100 and up, on AWS as locally: ten of them reach .103, which a /26 (64 addresses) cannot hold.
        AssertOnly(WithNetwork(Aws, n => n with { PrivateSubnets = ["10.0.0.0/26", "10.0.16.0/20", "10.0.32.0/20"] }),
            "spec.network.privateSubnets[0]", "is too small for the fixed addresses of up to 10 nodes (spec.nodes.max), up to offset 103: "
            + "it must be /25 or larger (got /26)");
        Assert.Empty(SpecValidator.Validate(WithNetwork(Aws, n => n with { PrivateSubnets = ["10.0.0.0/25", "10.0.16.0/20", "10.0.32.0/20"] })));
        // The bastion sits at .10: a /28 holds it.
        Assert.Empty(SpecValidator.Validate(WithNetwork(Aws, n => n with { PublicSubnets = ["10.0.128.0/28", "10.0.144.0/28", "10.0.160.0/28"] })));
        AssertOnly(WithNetwork(Aws, n => n with { PublicSubnets = ["10.0.128.0/29", "10.0.144.0/28", "10.0.160.0/28"] }),
            "spec.network.publicSubnets[0]", "must be /28 or larger, AWS's smallest subnet (got /29)");
    }

    [Fact]
    public void Derived_subnets_too_small_for_the_slots_are_blamed_on_the_vpc()
    {
        // Nodes have fixed addresses from .100 on every provider: 10 nodes reach .103 of their zone's subnet.
        AssertOnly(WithNetwork(Aws, n => n with { VpcCidr = "10.0.0.0/22" }), "spec.network.vpcCidr",
            "the subnets derived from it are /26, but the fixed addresses of up to 10 nodes (spec.nodes.max) need up to offset 103, "
            + "so /25; use a VPC of /21 or larger, or list spec.network.publicSubnets and spec.network.privateSubnets (got 10.0.0.0/22)");
        Assert.Empty(SpecValidator.Validate(WithNetwork(Aws, n => n with { VpcCidr = "10.0.0.0/21" })));
        AssertOnly(WithNetwork(Local, n => n with { VpcCidr = "10.9.0.0/22" }), "spec.network.vpcCidr",
            "the fixed addresses of up to 10 nodes (spec.nodes.max) need up to offset 103, so /25; use a VPC of /21");
    }

    [Fact]
    public void The_vpc_holds_the_fixed_addresses_of_the_most_nodes_the_spec_allows()
    {
        var large = Aws with { Nodes = Aws.Nodes with { Max = SpecLimits.MaxNodes } };
        // Node 4999 is the 1667th of its zone: offset 100 + 1666 needs a /21 subnet, so a /17 VPC.
        AssertOnly(WithNetwork(large, n => n with { VpcCidr = "10.0.0.0/18", PodCidr = "10.128.0.0/9" }), "spec.network.vpcCidr",
            "need up to offset 1766, so /21; use a VPC of /17 or larger, or list");
        Assert.Empty(SpecValidator.Validate(WithNetwork(large, n => n with { VpcCidr = "10.0.0.0/17", PodCidr = "10.128.0.0/9" })));
        // Three private /21s do not fit in a /20 at all: listing subnets is no way out there.
        var problem = Only(WithNetwork(large, n => n with { VpcCidr = "10.0.0.0/20", PodCidr = "10.128.0.0/9" }));
        Assert.EndsWith("use a VPC of /17 or larger (got 10.0.0.0/20)", problem.Message);
    }

    [Fact]
    public void Counts_fit_quorum_and_the_slot_layout()
    {
        foreach (var count in new[] { 0, 2, 4, 9 })
            AssertOnly(Aws with { Etcd = Aws.Etcd with { Count = count } }, "spec.etcd.count", $"must be 1, 3, 5 or 7: etcd needs an odd number of members for quorum (got {count})");
        AssertOnly(Aws with { Bastion = Aws.Bastion with { Count = 2 } }, "spec.bastion.count", "must be 0 (no bastion) or 1 (got 2)");
        Assert.Empty(SpecValidator.Validate(Aws with { Bastion = Aws.Bastion with { Count = 0 } }));
        AssertOnly(Aws with { Controllers = Aws.Controllers with { Count = 0 } }, "spec.controllers.count", "between 1 and 240");
        AssertOnly(Aws with { Controllers = Aws.Controllers with { Count = 241 } }, "spec.controllers.count", "between 1 and 240");
    }

    [Fact]
    public void Nodes_lie_between_min_and_max()
    {
        AssertOnly(Aws with { Nodes = Aws.Nodes with { Count = 0, Min = 0 } }, "spec.nodes.count", "at least 1");
        AssertOnly(Aws with { Nodes = Aws.Nodes with { Count = 2 } }, "spec.nodes.count", "at least spec.nodes.min (3) (got 2)");
        AssertOnly(Aws with { Nodes = Aws.Nodes with { Count = 11 } }, "spec.nodes.count", "at most spec.nodes.max (10) (got 11)");
        AssertOnly(Aws with { Nodes = Aws.Nodes with { Min = -1 } }, "spec.nodes.min", "0 or more");
        Assert.Contains(SpecValidator.Validate(Aws with { Nodes = Aws.Nodes with { Max = 5001 } }), p => p.Path == "spec.nodes.max");
        Assert.Empty(SpecValidator.Validate(Aws with { Nodes = Aws.Nodes with { Min = 0, Count = 1, Max = 1 } }));
    }

    [Fact]
    public void Grpc_agents_are_refused_on_aws_before_anything_is_created()
    {
        AssertOnly(Aws with { AgentChannel = AgentChannel.Grpc }, "spec.agentChannel", "must be s3 for the aws provider");
        Assert.Empty(SpecValidator.Validate(Local with { AgentChannel = AgentChannel.Grpc }));
        Assert.Empty(SpecValidator.Validate(Local with { AgentChannel = AgentChannel.S3 }));

        var loaded = ClusterSpecLoader.Load("apiVersion: kubes/v1\nkind: Cluster\nmetadata: {name: demo}\nspec:\n  agentChannel: grpc\n", "c.yaml");
        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(("spec.agentChannel", 5), (problem.Path, problem.Line));
        Assert.Contains("use s3, the default", problem.Message);
    }

    [Fact]
    public void A_minimum_above_the_maximum_is_its_own_problem()
    {
        AssertOnly(Aws with { Nodes = Aws.Nodes with { Min = 8, Count = 6, Max = 5 } }, "spec.nodes.min",
            "must be at most spec.nodes.max (5) (got 8)");
        Assert.Equal(
            [("spec.nodes.min", "must be at most spec.nodes.max (5) (got 8)"), ("spec.nodes.count", "must be at least 1: workloads need a node (got 0)")],
            SpecValidator.Validate(Aws with { Nodes = Aws.Nodes with { Min = 8, Count = 0, Max = 5 } }).Select(p => (p.Path, p.Message)));
    }

    [Fact]
    public void A_crossed_bound_is_reported_where_the_file_sets_it()
    {
        var onlyMax = ClusterSpecLoader.Load("apiVersion: kubes/v1\nkind: Cluster\nmetadata: {name: demo}\nspec:\n  nodes:\n    max: 2\n    count: 2\n", "c.yaml");
        var problem = Assert.Single(onlyMax.Problems);
        Assert.Equal(("spec.nodes.max", 6, "must be at least spec.nodes.min (3) (got 2)"), (problem.Path, problem.Line, problem.Message));

        var both = ClusterSpecLoader.Load("apiVersion: kubes/v1\nkind: Cluster\nmetadata: {name: demo}\nspec:\n  nodes: {min: 4, max: 2, count: 2}\n", "c.yaml");
        problem = Assert.Single(both.Problems);
        Assert.Equal(("spec.nodes.min", 5, "must be at most spec.nodes.max (2) (got 4)"), (problem.Path, problem.Line, problem.Message));
    }

    [Theory]
    [InlineData(7, 0, "spec.etcd.rootVolumeSizeGiB", "between 8 and 16384 GiB (got 7)")]
    [InlineData(16385, 0, "spec.etcd.rootVolumeSizeGiB", "between 8 and 16384 GiB")]
    [InlineData(20, -1, "spec.etcd.volumeSizeGiB", "must be 0 (no data volume) or 1 to 16384 GiB (got -1)")]
    [InlineData(20, 16385, "spec.etcd.volumeSizeGiB", "or 1 to 16384 GiB")]
    public void Volume_sizes_have_ranges(int root, int data, string path, string message) =>
        AssertOnly(Aws with { Etcd = Aws.Etcd with { RootVolumeSizeGiB = root, VolumeSizeGiB = data } }, path, message);

    [Theory]
    [InlineData("t3")]
    [InlineData("T3.large")]
    [InlineData("t3.")]
    [InlineData("t3.large\n")]
    [InlineData("t3 .large")]
    public void Instance_types_look_like_family_dot_size(string type) =>
        AssertOnly(Aws with { Nodes = Aws.Nodes with { InstanceType = type } }, "spec.nodes.instanceType", "family.size");

    [Theory]
    [InlineData("s3://kubes-state")]
    [InlineData("s3://kubes-state/demo")]
    [InlineData("s3://kubes.state/a/b/")]
    [InlineData("")]
    public void An_aws_state_store_is_empty_or_an_s3_location(string store) =>
        Assert.Empty(SpecValidator.Validate(Aws with { StateStore = store }));

    [Theory]
    [InlineData("/var/kubes", "is not an S3 location")]
    [InlineData("s3://Kubes_State", "not a valid S3 bucket name")]
    [InlineData("s3://ab", "not a valid S3 bucket name")]
    [InlineData("s3://a..b", "two adjacent periods")]
    [InlineData("s3://192.168.1.1", "looks like an IP address")]
    [InlineData("s3://bucket//x", "empty segment")]
    public void A_bad_aws_state_store_says_why(string store, string message) =>
        AssertOnly(Aws with { StateStore = store }, "spec.stateStore", message);

    [Theory]
    [InlineData("s3://bucket")]
    [InlineData("S3://bucket")]
    [InlineData("")]
    public void A_local_state_store_is_a_folder(string store) =>
        AssertOnly(Local with { StateStore = store }, "spec.stateStore", "must be a folder for the local provider, like ./.kubes/demo");

    [Fact]
    public void A_certificate_cannot_outlive_its_ca_nor_be_shorter_than_its_renewal_needs()
    {
        AssertOnly(Aws with { Pki = Aws.Pki with { CaLifetime = Lifetime.FromDays(100), CertificateLifetime = Lifetime.FromHours(2401) } },
            "spec.pki.certificateLifetime", "must not be longer than spec.pki.caLifetime (100d): a certificate cannot outlive its CA (got 2401h)");
        AssertOnly(Aws with { Pki = Aws.Pki with { CaLifetime = Lifetime.FromHours(23), CertificateLifetime = Lifetime.FromMinutes(10) } },
            "spec.pki.caLifetime", "must be between 1d and 36500d (got 23h)");
        AssertOnly(Aws with { Pki = Aws.Pki with { CaLifetime = Lifetime.FromDays(36501) } }, "spec.pki.caLifetime", "between 1d and 36500d");
        AssertOnly(Aws with { Pki = Aws.Pki with { CertificateLifetime = Lifetime.FromMinutes(1) } }, "spec.pki.certificateLifetime",
            "must be at least 2m, so that agents have time to renew each certificate before it expires (got 1m)");
        Assert.Empty(SpecValidator.Validate(Aws with { Pki = Aws.Pki with { CertificateLifetime = Lifetime.FromMinutes(2) } }));
    }

    [Fact]
    public void A_spec_built_in_code_has_problems_without_a_place()
    {
        var problem = Only(Aws with { Etcd = Aws.Etcd with { Count = 2 } });

        Assert.Equal((0, 0), (problem.Line, problem.Column));
        Assert.Equal("(embedded): spec.etcd.count: " + problem.Message, problem.Format("(embedded)"));
    }
}
