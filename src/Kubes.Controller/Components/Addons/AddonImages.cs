namespace Kubes.Controller.Components.Addons;

/// <summary>
/// The images of the add-ons Kubes writes itself, per supported Kubernetes minor: CoreDNS as kubeadm pins it beside pause
/// 3.10.1 and etcd 3.6 (cmd/kubeadm/app/constants CoreDNSVersion, v1.13.1); metrics-server at its newest release
/// (kubernetes-sigs/metrics-server v0.8.1, whose release notes give the image's registry path); Headlamp v0.39.0 for the
/// dashboard (kubernetes-sigs/headlamp publishes its image to ghcr.io/headlamp-k8s); the EBS CSI driver and the Kubernetes CSI
/// sidecars it runs with. This machine reaches no registry: the tags are Kubes' pins, not checked here against the
/// registries (docs/nodes.md says so).
/// </summary>
public sealed record AddonImages(string CoreDns, string MetricsServer, string Dashboard, string EbsCsiDriver, string CsiProvisioner, string CsiAttacher, string CsiResizer,
    string CsiNodeDriverRegistrar, string LivenessProbe)
{
    private static readonly AddonImages Current = new(
        CoreDns: "registry.k8s.io/coredns/coredns:v1.13.1",
        MetricsServer: "registry.k8s.io/metrics-server/metrics-server:v0.8.1",
        Dashboard: "ghcr.io/headlamp-k8s/headlamp:v0.39.0",
        EbsCsiDriver: "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.48.0",
        CsiProvisioner: "public.ecr.aws/csi-components/csi-provisioner:v5.3.0",
        CsiAttacher: "public.ecr.aws/csi-components/csi-attacher:v4.9.0",
        CsiResizer: "public.ecr.aws/csi-components/csi-resizer:v1.14.0",
        CsiNodeDriverRegistrar: "public.ecr.aws/csi-components/csi-node-driver-registrar:v2.14.0",
        LivenessProbe: "public.ecr.aws/csi-components/livenessprobe:v2.16.0");

    public static readonly IReadOnlyDictionary<string, AddonImages> ByKubernetesMinor = new Dictionary<string, AddonImages>(StringComparer.Ordinal)
    {
        ["1.35"] = Current,
        ["1.36"] = Current,
    };
}
