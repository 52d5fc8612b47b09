using System.Text;

namespace Kubes.Controller.Spec;

/// <summary>
/// Writes a spec as cluster.yaml with every field and a comment on each saying what it is and what it
/// may be. <c>kubes init</c> prints it; <see cref="ClusterSpecLoader"/> reads it back to an equal spec.
/// </summary>
public static class ClusterSpecWriter
{
    /// <summary>The column comments start at, so they line up.</summary>
    private const int CommentColumn = 36;

    public static string Write(ClusterSpec spec)
    {
        var local = spec.Provider == ProviderKind.Local;
        var yaml = new Lines();
        yaml.Comment(0, $"Kubes cluster spec. Check it with 'kubes validate -f FILE'; create the cluster with 'kubes up -f FILE'.");
        yaml.Comment(0, "Every field is optional except metadata.name; a field left out takes the value shown here.");
        yaml.Field(0, "apiVersion", ClusterSpec.ApiVersion, $"always {ClusterSpec.ApiVersion}");
        yaml.Field(0, "kind", ClusterSpec.Kind, $"always {ClusterSpec.Kind}");
        yaml.Section(0, "metadata", "what the cluster is called");
        yaml.Field(1, "name", YamlScalar.Of(spec.Name),
            $"DNS-1123 label, at most {SpecLimits.MaxNameLength} characters; part of the bucket and every resource name");

        yaml.Section(0, "spec", "the desired cluster");
        yaml.Field(1, "provider", spec.Provider.ToSpecName(),
            $"{SpecEnumNames.Provider.Alternatives}: AWS, or this machine with a network namespace per instance (as root)");
        yaml.Field(1, "region", YamlScalar.Of(spec.Region),
            local ? "local-N for the local provider" : "AWS region, like us-east-1 or eu-central-1");
        yaml.Field(1, "zones", YamlScalar.FlowList(spec.Zones),
            $"exactly {SpecLimits.ZoneCount} distinct zones: the region and a letter; slot i lives in zone i mod {SpecLimits.ZoneCount}");
        yaml.Field(1, "kubernetesVersion", YamlScalar.Of(spec.KubernetesVersion),
            $"major.minor.patch, optionally with a leading v; supported: {SpecLimits.SupportedKubernetesVersions}");
        yaml.Field(1, "image", YamlScalar.Of(spec.Image), local
            ? "unused by the local provider: keep it \"\""
            : "AMI id for every instance; \"\" is the newest Canonical Ubuntu 24.04 LTS of the region");

        var network = spec.Network;
        yaml.Section(1, "network", "the VPC across the zones, with a public and a private subnet in each");
        var vpcSizes = $"/{SpecLimits.MinVpcPrefix} to /{NetworkValidator.LargestDerivedVpcPrefix(spec)} for up to "
            + $"{Math.Max(spec.Nodes.Count, spec.Nodes.Max)} nodes";
        yaml.Field(2, "vpcCidr", YamlScalar.Of(network.VpcCidr), local
            ? $"{vpcSizes}, inside {string.Join(", ", SpecLimits.PrivateRanges)}, not routed by this machine"
            : $"{vpcSizes}, inside {string.Join(", ", SpecLimits.PrivateRanges)}");
        yaml.Field(2, "publicSubnets", YamlScalar.FlowList(network.PublicSubnets),
            "one per zone, inside the VPC; [] derives them from the VPC");
        yaml.Field(2, "privateSubnets", YamlScalar.FlowList(network.PrivateSubnets),
            "one per zone, inside the VPC; [] derives them from the VPC");
        yaml.Field(2, "podCidr", YamlScalar.Of(network.PodCidr),
            $"pod addresses, a /{SpecLimits.NodePodPrefix} per node; must not overlap the VPC or services");
        yaml.Field(2, "serviceCidr", YamlScalar.Of(network.ServiceCidr),
            $"service addresses, /{SpecLimits.MinServicePrefix} to /{SpecLimits.MaxServicePrefix}; the first is the kubernetes service");
        yaml.Field(2, "natGateways", network.NatGateways.ToSpecName(),
            $"{SpecEnumNames.NatGateways.Alternatives}: a NAT gateway in every zone, or one for all");
        yaml.Field(2, "adminCidrs", YamlScalar.FlowList(network.AdminCidrs),
            "who may reach the bastion's SSH and VPN, like [203.0.113.0/24]; [] means nobody");

        yaml.Field(1, "cni", spec.Cni.ToSpecName(), $"pod network: {SpecEnumNames.Cni.Alternatives}");
        Group(yaml, "bastion", spec.Bastion, "the SSH jump host and VPN server, in a public subnet", "0 or 1");
        var vpn = spec.Bastion.Vpn;
        yaml.Section(2, "vpn", "OpenVPN into the VPC; profiles from 'kubes vpn profile NAME' (docs/bastion.md)");
        yaml.Field(3, "splitTunnel", YamlScalar.Of(vpn.SplitTunnel),
            "false: all of a client's traffic through the bastion; true: only the VPC's");
        yaml.Field(3, "clientCidr", YamlScalar.Of(vpn.ClientCidr),
            $"clients' addresses, /{AccessValidator.MinClientPrefix} to /{AccessValidator.MaxClientPrefix}, outside the VPC, pods and services");
        yaml.Field(3, "profileLifetime", YamlScalar.Of(vpn.ProfileLifetime.ToString()),
            $"a profile's certificate, never beyond its CA: {AccessValidator.MinProfileLifetime} or more (like 90d)");
        Group(yaml, "etcd", spec.Etcd, "the etcd members, one per zone in turn, at fixed addresses",
            $"{SpecValidator.Alternatives(SpecLimits.EtcdCounts)}: odd, for quorum");
        Group(yaml, "controllers", spec.Controllers, "kube-apiserver, controller-manager and scheduler, behind a load balancer",
            $"{SpecLimits.MinControllers} to {SpecValidator.MaxControllers}");

        var nodes = spec.Nodes;
        yaml.Section(1, "nodes", "the workers: kubelet, kube-proxy, containerd and the CNI");
        yaml.Field(2, "count", YamlScalar.Of(nodes.Count), "how many now; between min and max");
        yaml.Field(2, "min", YamlScalar.Of(nodes.Min), "the fewest 'kubes scale' allows; 0 or more");
        yaml.Field(2, "max", YamlScalar.Of(nodes.Max), $"the most 'kubes scale' allows; up to {SpecLimits.MaxNodes}");
        InstanceFields(yaml, nodes);
        yaml.Field(2, "autoScaling", YamlScalar.Of(nodes.AutoScaling), "true: an Auto Scaling group from a launch template; false: plain instances");

        yaml.Field(1, "stateStore", YamlScalar.Of(spec.StateStore), local
            ? "a folder for the cluster's state (relative to where kubes runs)"
            : "s3://bucket[/prefix] for the cluster's state; \"\" picks a bucket at 'kubes up'");
        yaml.Field(1, "agentChannel", spec.AgentChannel.ToSpecName(), local
            ? $"{SpecEnumNames.AgentChannel.Alternatives}: how agents reach kubes, an S3-style mailbox or gRPC to 'kubes serve'"
            : "s3: agents reach kubes through an S3 mailbox (grpc is for the local provider)");

        yaml.Section(1, "pki", "the certificate authorities Kubes runs in-process");
        yaml.Field(2, "keyAlgorithm", spec.Pki.KeyAlgorithm.ToSpecName(), SpecEnumNames.KeyAlgorithm.Alternatives);
        yaml.Field(2, "caLifetime", YamlScalar.Of(spec.Pki.CaLifetime.ToString()),
            $"{SpecLimits.MinCaLifetime} to {SpecLimits.MaxCaLifetime}; d days, h hours or m minutes; each CA is made once, by the first 'kubes up'");
        yaml.Field(2, "certificateLifetime", YamlScalar.Of(spec.Pki.CertificateLifetime.ToString()),
            $"{SpecLimits.MinCertificateLifetime} (tests) to caLifetime; agents renew each certificate once two thirds of it have passed");
        yaml.Field(2, "adminCertificateLifetime", YamlScalar.Of(spec.Pki.AdminCertificateLifetime.ToString()),
            $"each 'kubes kubeconfig' admin certificate: {AccessValidator.MinAdminCertificateLifetime} to "
            + $"{AccessValidator.MaxAdminCertificateLifetime}, since it cannot be revoked");

        yaml.Section(1, "ssh", "SSH with certificates only: 'kubes ssh SLOT', 'kubes ssh-config'");
        yaml.Field(2, "hostCertificateLifetime", YamlScalar.Of(spec.Ssh.HostCertificateLifetime.ToString()),
            $"each instance's host certificate, renewed by its agent: {AccessValidator.MinHostCertificateLifetime} "
            + $"to {AccessValidator.MaxHostCertificateLifetime}");
        yaml.Field(2, "userCertificateLifetime", YamlScalar.Of(spec.Ssh.UserCertificateLifetime.ToString()),
            $"an operator's certificate: {AccessValidator.MinUserCertificateLifetime} to {AccessValidator.MaxUserCertificateLifetime}");

        yaml.Section(1, "addons", "installed once the control plane is up; true or false each");
        yaml.Field(2, "coreDns", YamlScalar.Of(spec.Addons.CoreDns), "cluster DNS");
        yaml.Field(2, "metricsServer", YamlScalar.Of(spec.Addons.MetricsServer), "resource metrics for kubectl top and autoscaling");
        yaml.Field(2, "ebsCsiDriver", YamlScalar.Of(spec.Addons.EbsCsiDriver), "EBS volumes for pods, with a default StorageClass");
        yaml.Field(2, "dashboard", YamlScalar.Of(spec.Addons.Dashboard), "a web UI: Headlamp (the Kubernetes Dashboard is archived)");
        yaml.Field(2, "monitoring", YamlScalar.Of(spec.Addons.Monitoring), "Prometheus and Grafana: not deployed by Kubes yet, true is refused");

        yaml.Section(1, "artifacts", "where Kubernetes, etcd, containerd and the rest are fetched from (docs/artifacts.md)");
        yaml.Field(2, "baseUrl", YamlScalar.Of(spec.Artifacts.BaseUrl),
            "\"\": the upstream sites; or an https mirror keeping each file's path under its host, like https://mirror.example.com/kubes");
        Components(yaml, spec.Components);
        return yaml.ToString();
    }

    /// <summary>The example <c>kubes init</c> shows under an empty <c>components</c>, as it would be written.</summary>
    public static readonly IReadOnlyDictionary<string, ComponentSpec> ComponentsExample = new Dictionary<string, ComponentSpec>
    {
        ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { ["quota-backend-bytes"] = "8589934592", ["auto-compaction-retention"] = "8h" } },
    };

    private const string ComponentsComment = "per component, flags Kubes adds to its command line; each is checked against its version";

    private static void Components(Lines yaml, IReadOnlyDictionary<string, ComponentSpec> components)
    {
        if (components.Count == 0)
        {
            yaml.Field(1, "components", "{}", $"{ComponentsComment}, like:");
            var example = new Lines();
            ComponentEntries(example, ComponentsExample);
            foreach (var line in example.ToString().TrimEnd('\n').Split('\n')) yaml.Comment(1, line[2..]);
            return;
        }
        yaml.Section(1, "components", ComponentsComment);
        ComponentEntries(yaml, components);
    }

    private static void ComponentEntries(Lines yaml, IReadOnlyDictionary<string, ComponentSpec> components)
    {
        foreach (var (name, component) in components)
        {
            yaml.Section(2, YamlScalar.Of(name), $"spec.components.{name}");
            yaml.Section(3, "extraArgs", "a flag without its dashes, and its value as text");
            foreach (var (flag, value) in component.ExtraArgs)
                yaml.Field(4, YamlScalar.Of(flag), YamlScalar.Of(value), $"--{flag}");
        }
    }

    private static void Group(Lines yaml, string key, InstanceGroupSpec group, string what, string counts)
    {
        yaml.Section(1, key, what);
        yaml.Field(2, "count", YamlScalar.Of(group.Count), counts);
        InstanceFields(yaml, group);
    }

    private static void InstanceFields(Lines yaml, InstanceGroupSpec group)
    {
        yaml.Field(2, "instanceType", YamlScalar.Of(group.InstanceType), "EC2 instance type, family.size");
        yaml.Field(2, "rootVolumeSizeGiB", YamlScalar.Of(group.RootVolumeSizeGiB),
            $"{SpecLimits.MinRootVolumeGiB} to {SpecLimits.MaxVolumeGiB}");
        yaml.Field(2, "volumeSizeGiB", YamlScalar.Of(group.VolumeSizeGiB),
            $"data volume at /data: 0 (none) or 1 to {SpecLimits.MaxVolumeGiB}");
    }

    private sealed class Lines
    {
        private readonly StringBuilder text = new();

        public void Comment(int depth, string comment) => text.Append(Indent(depth)).Append("# ").Append(comment).Append('\n');

        public void Section(int depth, string key, string comment) => Line(depth, $"{key}:", comment);

        public void Field(int depth, string key, string value, string comment) => Line(depth, $"{key}: {value}", comment);

        public override string ToString() => text.ToString();

        private void Line(int depth, string content, string comment) =>
            text.Append($"{(Indent(depth) + content).PadRight(CommentColumn - 1)} # {comment}").Append('\n');

        private static string Indent(int depth) => new(' ', depth * 2);
    }
}
