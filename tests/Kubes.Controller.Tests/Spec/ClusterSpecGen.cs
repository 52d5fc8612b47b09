using CsCheck;
using Kubes.Controller.Components.Etcd;
using Kubes.Controller.Components.Flags;
using Kubes.Controller.Networking;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Spec;

/// <summary>
/// Generates cluster specs for both providers: <see cref="Valid"/> from valid parts only, <see cref="Wide"/> from
/// parts up to the edges of each range (small VPCs, thousands of nodes), which the validator may accept or refuse.
/// </summary>
internal static class ClusterSpecGen
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string LowerDigits = Lower + "0123456789";

    public static readonly Gen<string> Name =
        Gen.Select(Gen.Char[LowerDigits], Gen.String[Gen.Char[LowerDigits + "-"], 0, SpecLimits.MaxNameLength - 2],
                Gen.Char[LowerDigits], Gen.Bool)
            .Select((first, middle, last, single) => single ? first.ToString() : $"{first}{middle}{last}");

    private static readonly Gen<string> AwsRegion =
        Gen.Select(Gen.String[Gen.Char[Lower], 2, 2], Gen.String[Gen.Char[Lower], 3, 10], Gen.Int[1, 9])
            .Select((area, place, n) => $"{area}-{place}-{n}");

    private static readonly Gen<string> InstanceType = Gen.OneOf(
        Gen.OneOf("t3.small", "t3.medium", "m7i.large", "c6gd.2xlarge", "m7i-flex.large", "u-6tb1.metal"),
        Gen.Select(Gen.Char[Lower], Gen.String[Gen.Char[LowerDigits + "-"], 0, 6], Gen.String[Gen.Char[LowerDigits], 1, 8])
            .Select((first, rest, size) => $"{first}{rest}.{size}"));

    public static readonly Gen<InstanceGroupSpec> Volumes =
        Gen.Select(InstanceType, Gen.Int[SpecLimits.MinRootVolumeGiB, SpecLimits.MaxVolumeGiB],
                Gen.OneOf(Gen.Const(0), Gen.Int[1, SpecLimits.MaxVolumeGiB]))
            .Select((type, root, data) => new InstanceGroupSpec { InstanceType = type, RootVolumeSizeGiB = root, VolumeSizeGiB = data });

    private static Gen<NodeGroupSpec> Nodes(Gen<int> extra) =>
        Gen.Select(Gen.Int[0, 5], extra, Volumes, Gen.Bool)
            .SelectMany((min, extra, group, autoScaling) => Gen.Int[Math.Max(1, min), Math.Max(1, min + extra)]
                .Select(count => new NodeGroupSpec
                {
                    Count = count,
                    Min = min,
                    Max = Math.Max(1, min + extra),
                    InstanceType = group.InstanceType,
                    RootVolumeSizeGiB = group.RootVolumeSizeGiB,
                    VolumeSizeGiB = group.VolumeSizeGiB,
                    AutoScaling = autoScaling,
                }));

    private static readonly Gen<string> AdminCidr =
        Gen.Select(Gen.UInt, Gen.Int[0, 32]).Select((address, prefix) =>
        {
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            return $"{Cidr.FromUInt(address & mask)}/{prefix}";
        });

    /// <summary>Folder names with characters that need quoting in YAML, to exercise the writer.</summary>
    private static readonly Gen<string> LocalFolder =
        Gen.String[Gen.Char["abcXYZ019 ./_-:#'\"\\é[]{},&*!|>%@`\t"], 1, 30]
            .Where(s => !s.StartsWith("s3://", StringComparison.OrdinalIgnoreCase));

    private static readonly Gen<string> S3Store =
        Gen.Select(Gen.String[Gen.Char[LowerDigits], 3, 40], Gen.String[Gen.Char[LowerDigits + "-_/."], 0, 20])
            .Select((bucket, prefix) => prefix.Length == 0 ? $"s3://{bucket}" : $"s3://{bucket}/{prefix}")
            .Where(s => S3Location.TryParse(s, out _, out _));

    /// <summary>A lifetime from <paramref name="min"/> to <paramref name="max"/>, in whichever unit divides it.</summary>
    public static Gen<Lifetime> Lifetimes(Lifetime min, Lifetime max) =>
        Gen.OneOf(
            Gen.Int[(min.Minutes + 1439) / 1440, max.Minutes / 1440].Select(Lifetime.FromDays),
            Gen.Int[(min.Minutes + 59) / 60, Math.Min(max.Minutes / 60, 999_999)].Select(Lifetime.FromHours),
            Gen.Int[min.Minutes, Math.Min(max.Minutes, 999_999)].Select(Lifetime.FromMinutes));

    private static readonly Gen<PkiSpec> Pki =
        Gen.Select(Gen.Enum<KeyAlgorithm>(), Lifetimes(SpecLimits.MinCaLifetime, SpecLimits.MaxCaLifetime))
            .SelectMany((algorithm, ca) => Lifetimes(SpecLimits.MinCertificateLifetime, ca).Select(certificate =>
                new PkiSpec { KeyAlgorithm = algorithm, CaLifetime = ca, CertificateLifetime = certificate }));

    private static readonly Gen<VpnSpec> Vpn =
        Gen.Select(Gen.Bool, Gen.Int[0, 255], Gen.Int[AccessValidator.MinClientPrefix + 8, AccessValidator.MaxClientPrefix],
                Lifetimes(AccessValidator.MinProfileLifetime, Lifetime.FromDays(365)))
            .Select((split, octet, prefix, lifetime) => new VpnSpec
            {
                SplitTunnel = split,
                ClientCidr = Cidr.Parse($"198.18.{octet}.0/24").Subnet(prefix - 24, 0).ToString(),
                ProfileLifetime = lifetime,
            });

    private static readonly Gen<SshSpec> Ssh =
        Gen.Select(Lifetimes(AccessValidator.MinHostCertificateLifetime, AccessValidator.MaxHostCertificateLifetime),
                Lifetimes(AccessValidator.MinUserCertificateLifetime, AccessValidator.MaxUserCertificateLifetime))
            .Select((host, user) => new SshSpec { HostCertificateLifetime = host, UserCertificateLifetime = user });

    private static readonly Gen<AddonsSpec> Addons =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool)
            .Select((dns, ebs, dashboard, metrics) =>
                // Monitoring stays off: a valid spec cannot ask for it yet.
                new AddonsSpec { CoreDns = dns, EbsCsiDriver = ebs, Dashboard = dashboard, MetricsServer = metrics });

    /// <summary>The VPC, its subnets (listed or derived), pods and services, apart from each other.</summary>
    private static Gen<NetworkSpec> Network(int maxVpcPrefix, Gen<string> pods) =>
        Gen.Select(
                Gen.OneOf(Gen.Int[0, 99].Select(n => $"10.{n}"), Gen.Int[16, 31].Select(n => $"172.{n}"), Gen.Const("192.168")),
                Gen.Int[SpecLimits.MinVpcPrefix, maxVpcPrefix],
                Gen.Bool,
                Gen.Shuffle(Enumerable.Range(0, 8).ToArray(), 6),
                pods,
                Gen.Select(Gen.Int[200, 250], Gen.Int[SpecLimits.MinServicePrefix + 4, SpecLimits.MaxServicePrefix]),
                Gen.Enum<NatGatewayMode>(),
                AdminCidr.Array[0, 3])
            .Select((vpcBase, vpcPrefix, listSubnets, order, podCidr, service, nat, admins) =>
            {
                var vpc = Cidr.Parse($"{vpcBase}.0.0/16").Subnet(vpcPrefix - 16, 0);
                var (serviceOctet, servicePrefix) = service;
                return new NetworkSpec
                {
                    VpcCidr = vpc.ToString(),
                    PublicSubnets = listSubnets ? order[..3].Select(i => vpc.Subnet(3, i).ToString()).ToArray() : [],
                    PrivateSubnets = listSubnets ? order[3..].Select(i => vpc.Subnet(3, i).ToString()).ToArray() : [],
                    PodCidr = podCidr,
                    ServiceCidr = Cidr.Parse($"10.{serviceOctet}.0.0/16").Subnet(servicePrefix - 16, 0).ToString(),
                    NatGateways = nat,
                    AdminCidrs = admins,
                };
            });

    /// <summary>A /16 for pods: room for 256 nodes.</summary>
    private static readonly Gen<string> SmallPods = Gen.Int[100, 199].Select(octet => $"10.{octet}.0.0/16");

    public static readonly Gen<ClusterSpec> Valid = Specs(maxVpcPrefix: 20, Nodes(Gen.Int[0, 200]), SmallPods);

    /// <summary>
    /// VPCs up to one prefix beyond the largest allowed, node groups up to beyond the most allowed, and pod
    /// ranges large enough for them (from 100.64.0.0/10, apart from every VPC and service range here).
    /// </summary>
    public static readonly Gen<ClusterSpec> Wide = Specs(
        maxVpcPrefix: SpecLimits.MaxVpcPrefix + 1,
        Nodes(Gen.OneOf(Gen.Int[0, 200], Gen.Int[0, SpecLimits.MaxNodes + 10])),
        Gen.OneOf(SmallPods, Gen.Int[10, 16].Select(prefix => $"100.64.0.0/{prefix}")));

    private static Gen<ClusterSpec> Specs(int maxVpcPrefix, Gen<NodeGroupSpec> nodeGroups, Gen<string> pods) =>
        Gen.Select(Name, Gen.Enum<ProviderKind>(), AwsRegion, Gen.Int[1, 9], Gen.Shuffle(Lower.ToCharArray(), 3))
            .SelectMany((name, provider, awsRegion, localN, zoneLetters) =>
            {
                var region = provider == ProviderKind.Local ? $"local-{localN}" : awsRegion;
                return Gen.Select(
                        Gen.Select(Network(maxVpcPrefix, pods), Gen.Select(Gen.Int[35, 36], Gen.Int[0, 20])),
                        Gen.Select(Gen.Enum<CniKind>(), Gen.Enum<AgentChannel>()),
                        Gen.Select(Gen.Int[0, 1], Gen.OneOf(1, 3, 5, 7), Gen.Int[1, 9]),
                        Gen.Select(Volumes, Volumes, Volumes),
                        nodeGroups,
                        provider == ProviderKind.Local ? LocalFolder : Gen.OneOf(Gen.Const(""), S3Store),
                        Pki,
                        Gen.Select(Addons, Vpn, Ssh))
                    .Select((networkAndVersion, choices, counts, groups, nodes, store, pki, access) => new ClusterSpec
                    {
                        Name = name,
                        Provider = provider,
                        Region = region,
                        Zones = zoneLetters.Select(letter => $"{region}{letter}").ToArray(),
                        KubernetesVersion = $"1.{networkAndVersion.Item2.Item1}.{networkAndVersion.Item2.Item2}",
                        Network = networkAndVersion.Item1,
                        Cni = choices.Item1,
                        // gRPC needs an address agents can dial, which only the local provider has.
                        AgentChannel = provider == ProviderKind.Local ? choices.Item2 : AgentChannel.S3,
                        Bastion = new BastionSpec
                        {
                            Count = counts.Item1,
                            InstanceType = groups.Item1.InstanceType,
                            RootVolumeSizeGiB = groups.Item1.RootVolumeSizeGiB,
                            VolumeSizeGiB = groups.Item1.VolumeSizeGiB,
                            // A profile never outlives the VPN CA.
                            Vpn = access.Item2 with
                            {
                                ProfileLifetime = access.Item2.ProfileLifetime <= pki.CaLifetime ? access.Item2.ProfileLifetime : pki.CaLifetime,
                            },
                        },
                        Etcd = groups.Item2 with { Count = counts.Item2 },
                        Controllers = groups.Item3 with { Count = counts.Item3 },
                        Nodes = nodes,
                        StateStore = store,
                        Pki = pki,
                        Ssh = access.Item3,
                        Addons = access.Item1,
                    });
            })
            .SelectMany(WithComponents);

    private static readonly Gen<string> FlagValue = Gen.String[Gen.Char["abcxyz0123456789.:/=,_ -"], 1, 12];

    /// <summary>Up to three of the flags etcd's version leaves to the operator, with any one-line values.</summary>
    private static Gen<ClusterSpec> WithComponents(ClusterSpec spec)
    {
        var etcd = new EtcdComponent();
        var open = FlagCatalogue.For(etcd.Name, etcd.FlagVersion(spec)!).Names
            .Where(flag => !etcd.LockedFlags.ContainsKey(flag)).Order(StringComparer.Ordinal).ToArray();
        return Gen.Select(Gen.Int[0, 3], Gen.Shuffle(open, 3), FlagValue, FlagValue, FlagValue).Select((count, flags, a, b, c) =>
            count == 0
                ? spec
                : spec with
                {
                    Components = new Dictionary<string, ComponentSpec>
                    {
                        [etcd.Name] = new() { ExtraArgs = flags.Take(count).Zip([a, b, c]).ToDictionary(p => p.First, p => p.Second) },
                    },
                });
    }
}
