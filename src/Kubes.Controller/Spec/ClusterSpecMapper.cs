using YamlDotNet.RepresentationModel;

namespace Kubes.Controller.Spec;

/// <summary>
/// Turns the YAML document into a <see cref="ClusterSpec"/>: each field the file sets replaces the
/// default; a field it gets wrong keeps the default and becomes a problem, and reading goes on.
/// </summary>
internal static class ClusterSpecMapper
{
    public static ClusterSpec Map(YamlMappingNode document, List<SpecProblem> problems, SpecLocations locations)
    {
        locations.Add("", (int)document.Start.Line, (int)document.Start.Column);
        var root = SpecMappingReader.Of(document, "", problems, locations);

        ExpectConstant(root, "apiVersion", ClusterSpec.ApiVersion, problems, locations);
        ExpectConstant(root, "kind", ClusterSpec.Kind, problems, locations);

        var metadata = root.Mapping("metadata");
        var name = metadata.RequiredString("name", "give the cluster a name, like 'name: demo'");
        metadata.RejectUnknownKeys();

        var spec = root.Mapping("spec");
        var provider = spec.Enum("provider", SpecEnumNames.Provider) ?? ProviderKind.Aws;
        var region = spec.String("region");
        // The defaults of the other fields follow from the provider, the name and the region.
        var defaults = ClusterSpecDefaults.For(provider, name ?? ClusterSpecDefaults.DefaultName, region);

        var result = defaults with
        {
            Name = name ?? "",
            Zones = spec.StringList("zones") ?? defaults.Zones,
            KubernetesVersion = spec.String("kubernetesVersion") ?? defaults.KubernetesVersion,
            Image = spec.String("image") ?? defaults.Image,
            Network = Network(spec.Mapping("network"), defaults.Network),
            Cni = spec.Enum("cni", SpecEnumNames.Cni) ?? defaults.Cni,
            Bastion = Bastion(spec.Mapping("bastion"), defaults.Bastion),
            Etcd = Group(spec.Mapping("etcd"), defaults.Etcd),
            Controllers = Group(spec.Mapping("controllers"), defaults.Controllers),
            Nodes = Nodes(spec.Mapping("nodes"), defaults.Nodes),
            StateStore = spec.String("stateStore") ?? defaults.StateStore,
            AgentChannel = spec.Enum("agentChannel", SpecEnumNames.AgentChannel) ?? defaults.AgentChannel,
            Pki = Pki(spec.Mapping("pki"), defaults.Pki),
            Ssh = Ssh(spec.Mapping("ssh"), defaults.Ssh),
            Addons = Addons(spec.Mapping("addons"), defaults.Addons),
            Artifacts = Artifacts(spec.Mapping("artifacts"), defaults.Artifacts),
            Components = Components(spec.Mapping("components")),
        };
        spec.RejectUnknownKeys();
        root.RejectUnknownKeys();
        return result;
    }

    private static void ExpectConstant(SpecMappingReader root, string key, string expected, List<SpecProblem> problems,
        SpecLocations locations)
    {
        var value = root.RequiredString(key, $"the first lines of a spec are 'apiVersion: {ClusterSpec.ApiVersion}' and 'kind: {ClusterSpec.Kind}'");
        if (value is null || value == expected) return;
        var (line, column) = locations.Find(key);
        problems.Add(new SpecProblem(key, line, column, $"must be {expected} (got '{value}')"));
    }

    private static NetworkSpec Network(SpecMappingReader r, NetworkSpec d) => r.ReadAll(() => d with
    {
        VpcCidr = r.String("vpcCidr") ?? d.VpcCidr,
        PublicSubnets = r.StringList("publicSubnets") ?? d.PublicSubnets,
        PrivateSubnets = r.StringList("privateSubnets") ?? d.PrivateSubnets,
        PodCidr = r.String("podCidr") ?? d.PodCidr,
        ServiceCidr = r.String("serviceCidr") ?? d.ServiceCidr,
        NatGateways = r.Enum("natGateways", SpecEnumNames.NatGateways) ?? d.NatGateways,
        AdminCidrs = r.StringList("adminCidrs") ?? d.AdminCidrs,
    });

    private static InstanceGroupSpec Group(SpecMappingReader r, InstanceGroupSpec d) => r.ReadAll(() => GroupFields(r, d));

    private static BastionSpec Bastion(SpecMappingReader r, BastionSpec d) => r.ReadAll(() =>
        (BastionSpec)GroupFields(r, d) with { Vpn = Vpn(r.Mapping("vpn"), d.Vpn) });

    private static VpnSpec Vpn(SpecMappingReader r, VpnSpec d) => r.ReadAll(() => d with
    {
        SplitTunnel = r.Bool("splitTunnel") ?? d.SplitTunnel,
        ClientCidr = r.String("clientCidr") ?? d.ClientCidr,
        ProfileLifetime = r.Lifetime("profileLifetime") ?? d.ProfileLifetime,
    });

    private static SshSpec Ssh(SpecMappingReader r, SshSpec d) => r.ReadAll(() => d with
    {
        HostCertificateLifetime = r.Lifetime("hostCertificateLifetime") ?? d.HostCertificateLifetime,
        UserCertificateLifetime = r.Lifetime("userCertificateLifetime") ?? d.UserCertificateLifetime,
    });

    private static NodeGroupSpec Nodes(SpecMappingReader r, NodeGroupSpec d) => r.ReadAll(() =>
        (NodeGroupSpec)GroupFields(r, d) with
        {
            Min = r.Int("min") ?? d.Min,
            Max = r.Int("max") ?? d.Max,
            AutoScaling = r.Bool("autoScaling") ?? d.AutoScaling,
        });

    /// <summary>The fields every instance group has; <c>with</c> clones the runtime type, so nodes stay nodes.</summary>
    private static InstanceGroupSpec GroupFields(SpecMappingReader r, InstanceGroupSpec d) => d with
    {
        Count = r.Int("count") ?? d.Count,
        InstanceType = r.String("instanceType") ?? d.InstanceType,
        RootVolumeSizeGiB = r.Int("rootVolumeSizeGiB") ?? d.RootVolumeSizeGiB,
        VolumeSizeGiB = r.Int("volumeSizeGiB") ?? d.VolumeSizeGiB,
    };

    private static PkiSpec Pki(SpecMappingReader r, PkiSpec d) => r.ReadAll(() =>
    {
        r.Renamed("caLifetimeDays", "caLifetime", days => $"{days}d");
        r.Renamed("certificateLifetimeDays", "certificateLifetime", days => $"{days}d");
        return d with
        {
            KeyAlgorithm = r.Enum("keyAlgorithm", SpecEnumNames.KeyAlgorithm) ?? d.KeyAlgorithm,
            CaLifetime = r.Lifetime("caLifetime") ?? d.CaLifetime,
            CertificateLifetime = r.Lifetime("certificateLifetime") ?? d.CertificateLifetime,
            AdminCertificateLifetime = r.Lifetime("adminCertificateLifetime") ?? d.AdminCertificateLifetime,
        };
    });

    /// <summary>Component names are the operator's to choose here; the validator checks them against the components Kubes has.</summary>
    private static Dictionary<string, ComponentSpec> Components(SpecMappingReader r) =>
        r.Keys().ToDictionary(name => name, name =>
        {
            var component = r.Mapping(name);
            return component.ReadAll(() => new ComponentSpec { ExtraArgs = component.StringMap("extraArgs") ?? EquatableMap<string>.Empty });
        }, StringComparer.Ordinal);

    private static AddonsSpec Addons(SpecMappingReader r, AddonsSpec d) => r.ReadAll(() => d with
    {
        CoreDns = r.Bool("coreDns") ?? d.CoreDns,
        MetricsServer = r.Bool("metricsServer") ?? d.MetricsServer,
        EbsCsiDriver = r.Bool("ebsCsiDriver") ?? d.EbsCsiDriver,
        Dashboard = r.Bool("dashboard") ?? d.Dashboard,
        Monitoring = r.Bool("monitoring") ?? d.Monitoring,
    });

    private static ArtifactsSpec Artifacts(SpecMappingReader r, ArtifactsSpec d) => r.ReadAll(() => d with
    {
        BaseUrl = r.String("baseUrl") ?? d.BaseUrl,
    });
}
