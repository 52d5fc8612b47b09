namespace Kubes.Controller.Spec;

/// <summary>
/// The desired cluster, as read from cluster.yaml (apiVersion kubes/v1, kind Cluster).
/// Every property has the production default; the loader overrides what the file sets.
/// Lists are stored as <see cref="EquatableList{T}"/>, so two specs with the same content are equal.
/// </summary>
public sealed record ClusterSpec
{
    public const string ApiVersion = "kubes/v1";
    public const string Kind = "Cluster";

    public required string Name { get; init; }
    public ProviderKind Provider { get; init; } = ProviderKind.Aws;
    public string Region { get; init; } = "us-east-1";
    /// <summary>Exactly three distinct zones of the region; slot i lives in zone i mod 3.</summary>
    public IReadOnlyList<string> Zones { get; init => field = EquatableList.Of(value); } =
        EquatableList.Of(["us-east-1a", "us-east-1b", "us-east-1c"]);
    public string KubernetesVersion { get; init; } = KubernetesVersions.Default;
    /// <summary>The AMI every instance boots; empty means the newest Canonical Ubuntu 24.04 LTS of the region.</summary>
    public string Image { get; init; } = "";
    public NetworkSpec Network { get; init; } = new();
    public CniKind Cni { get; init; } = CniKind.Calico;
    public BastionSpec Bastion { get; init; } = new() { Count = 1, InstanceType = "t3.small" };
    public InstanceGroupSpec Etcd { get; init; } = new() { Count = 3, InstanceType = "t3.medium", VolumeSizeGiB = 20 };
    public InstanceGroupSpec Controllers { get; init; } = new() { Count = 3, InstanceType = "t3.medium" };
    public NodeGroupSpec Nodes { get; init; } = new();
    /// <summary><c>s3://bucket/prefix</c> on AWS, a folder for the local provider. Empty means the default.</summary>
    public string StateStore { get; init; } = "";
    public AgentChannel AgentChannel { get; init; } = AgentChannel.S3;
    public PkiSpec Pki { get; init; } = new();
    public SshSpec Ssh { get; init; } = new();
    public AddonsSpec Addons { get; init; } = new();
    public ArtifactsSpec Artifacts { get; init; } = new();

    /// <summary>
    /// What the operator changes of a component's own configuration, by component name (<c>spec.components.etcd</c>).
    /// Empty: every component as Kubes configures it.
    /// </summary>
    public IReadOnlyDictionary<string, ComponentSpec> Components { get; init => field = EquatableMap.Of(value); } =
        EquatableMap<ComponentSpec>.Empty;
}

/// <summary>The operator's overrides of one component.</summary>
public sealed record ComponentSpec
{
    /// <summary>
    /// Flags added to the component's command line: the flag's name without its dashes, and its value as text. Each must
    /// be a flag of the component's version that Kubes does not set itself.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraArgs { get; init => field = EquatableMap.Of(value); } = EquatableMap<string>.Empty;
}

public enum ProviderKind { Aws, Local }

/// <summary>The pod networks Kubes applies from their upstream manifests (docs/nodes.md: why Calico is the default, why not Cilium).</summary>
public enum CniKind { Calico, Flannel }

public enum AgentChannel { Grpc, S3 }

public enum NatGatewayMode { PerZone, Single }

public enum KeyAlgorithm { EcdsaP256, Rsa2048, Rsa4096 }

public sealed record NetworkSpec
{
    public string VpcCidr { get; init; } = "10.0.0.0/16";
    /// <summary>One per zone, in zone order. Empty means derived from the VPC CIDR.</summary>
    public IReadOnlyList<string> PublicSubnets { get; init => field = EquatableList.Of(value); } = EquatableList<string>.Empty;
    public IReadOnlyList<string> PrivateSubnets { get; init => field = EquatableList.Of(value); } = EquatableList<string>.Empty;
    public string PodCidr { get; init; } = "10.200.0.0/16";
    public string ServiceCidr { get; init; } = "10.32.0.0/24";
    public NatGatewayMode NatGateways { get; init; } = NatGatewayMode.PerZone;
    /// <summary>Who may reach the bastion (SSH, VPN). Empty means nobody until the operator says so.</summary>
    public IReadOnlyList<string> AdminCidrs { get; init => field = EquatableList.Of(value); } = EquatableList<string>.Empty;
}

public record InstanceGroupSpec
{
    public int Count { get; init; } = 1;
    public string InstanceType { get; init; } = "t3.medium";
    /// <summary>Size of the slot's EBS data volume mounted at /data; 0 means none.</summary>
    public int VolumeSizeGiB { get; init; }
    public int RootVolumeSizeGiB { get; init; } = 20;
}

/// <summary>The bastion: an instance in a public subnet, SSH jump host and VPN server into the VPC.</summary>
public sealed record BastionSpec : InstanceGroupSpec
{
    public VpnSpec Vpn { get; init; } = new();
}

/// <summary>The bastion's OpenVPN server and the profiles <c>kubes vpn profile</c> makes.</summary>
public sealed record VpnSpec
{
    /// <summary>Only the VPC through the tunnel; false (the default): every packet of a client, as the original bastion did.</summary>
    public bool SplitTunnel { get; init; }
    /// <summary>The addresses handed to VPN clients, masqueraded behind the bastion: outside the VPC, pods and services.</summary>
    public string ClientCidr { get; init; } = "100.64.0.0/24";
    /// <summary>How long a profile's client certificate is valid; revoke one sooner with <c>kubes vpn revoke</c>.</summary>
    public Lifetime ProfileLifetime { get; init; } = Lifetime.FromDays(90);
}

/// <summary>SSH with certificates: a host certificate on every instance, short-lived user certificates for operators.</summary>
public sealed record SshSpec
{
    /// <summary>Each instance's host certificate, renewed by its agent.</summary>
    public Lifetime HostCertificateLifetime { get; init; } = Lifetime.FromDays(30);
    /// <summary>The certificate <c>kubes ssh</c> and <c>kubes ssh-config</c> get for the operator's key.</summary>
    public Lifetime UserCertificateLifetime { get; init; } = Lifetime.FromHours(8);
}

public sealed record NodeGroupSpec : InstanceGroupSpec
{
    public NodeGroupSpec()
    {
        Count = 3;
        InstanceType = "t3.large";
        RootVolumeSizeGiB = 50;
    }

    public int Min { get; init; } = 3;
    public int Max { get; init; } = 10;
    /// <summary>Nodes as an Auto Scaling group from a launch template instead of plain instances.</summary>
    public bool AutoScaling { get; init; }
}

public sealed record PkiSpec
{
    public KeyAlgorithm KeyAlgorithm { get; init; } = KeyAlgorithm.EcdsaP256;
    /// <summary>Of each CA, from its creation by the first <c>kubes up</c>; a later change applies to new CAs only.</summary>
    public Lifetime CaLifetime { get; init; } = Lifetime.FromDays(3650);
    /// <summary>Of every leaf certificate; agents renew each once two thirds of it have passed.</summary>
    public Lifetime CertificateLifetime { get; init; } = Lifetime.FromDays(365);
    /// <summary>
    /// Of the admin certificate each <c>kubes kubeconfig</c> makes: it cannot be revoked, so it is short-lived (kops' 18 h),
    /// and running the command again makes a new one.
    /// </summary>
    public Lifetime AdminCertificateLifetime { get; init; } = Lifetime.FromHours(18);
}

public sealed record AddonsSpec
{
    public bool CoreDns { get; init; } = true;
    public bool MetricsServer { get; init; } = true;
    public bool EbsCsiDriver { get; init; } = true;
    public bool Dashboard { get; init; }
    public bool Monitoring { get; init; }
}

/// <summary>Where artifacts and their checksum files are fetched from.</summary>
public sealed record ArtifactsSpec
{
    /// <summary>An https mirror site keeping each upstream file's path under a folder named for its host; "" is upstream.</summary>
    public string BaseUrl { get; init; } = "";
}

public static partial class KubernetesVersions
{
    /// <summary>The newest patch of the newest supported minor that its release artifacts confirm.</summary>
    public const string Default = "1.36.3";

    /// <summary>Minor versions whose flag sets and component configs Kubes renders (upstream supports no older ones).</summary>
    public static readonly IReadOnlyList<string> SupportedMinors = ["1.35", "1.36"];

    /// <summary>A release of a supported minor: major.minor.patch in plain decimal, with one optional leading v.</summary>
    public static bool IsSupported(string version) => MinorOf(version) is { } minor && SupportedMinors.Contains(minor);

    /// <summary>The major.minor of a release (<c>1.36</c> of <c>v1.36.3</c>), or null when it is not one.</summary>
    public static string? MinorOf(string version) =>
        Release().Match(version) is { Success: true } release ? $"{release.Groups["major"].Value}.{release.Groups["minor"].Value}" : null;

    /// <summary>No leading zeros, at most three digits a part: Kubernetes has never come near either.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^v?(?<major>0|[1-9][0-9]{0,2})\.(?<minor>0|[1-9][0-9]{0,2})\.(?<patch>0|[1-9][0-9]{0,2})\z")]
    private static partial System.Text.RegularExpressions.Regex Release();
}
