using Kubes.Controller.Spec;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Artifacts;

/// <summary>
/// Every artifact a cluster of a supported Kubernetes minor runs, for linux amd64 and arm64: the Kubernetes binaries
/// at the cluster's own patch release, and the etcd, containerd, runc, CNI plugins and crictl releases paired with the
/// minor. It names files and where their checksums are published; it holds no digest: <see cref="ArtifactPinning"/>
/// reads the published checksums and pins them, <see cref="ArtifactImport"/> takes an operator's.
/// docs/artifacts.md shows it per minor.
/// </summary>
public static class ArtifactCatalogue
{
    /// <summary>
    /// The releases paired with each minor. Sources (files of the projects' repositories, as listed in
    /// shared/k8s-reference/artifacts.md with their snapshot commits):
    /// <list type="bullet">
    /// <item>Newest patches: the kubernetes-1.X.Y tags the publishing bot mirrors into kubernetes/kubelet and
    /// kubernetes/client-go (2026-07-22): v1.35.7, v1.36.3.</item>
    /// <item>etcd: kubeadm pairs 1.34 to 1.36 with the 3.6 line (etcd-io/etcd
    /// Documentation/contributor-guide/bump_etcd_version_k8s.md, the kubeadm map for 34/35/36); newest 3.6 tag v3.6.14.</item>
    /// <item>containerd: the newest line containerd's RELEASES.md "Kubernetes Support" table lists for the minor
    /// (1.35: 2.2.0+, 2.1.5+, 1.7.28+; 1.36: 2.3.0+, 2.2.0+), at its newest tag: v2.2.7, v2.3.4.</item>
    /// <item>runc, CNI plugins, crictl: what that containerd tag pins (script/setup/runc-version, go.mod's
    /// github.com/containernetworking/plugins, script/setup/critools-version).</item>
    /// <item>Calico: the 3.32 line, which Calico's system requirements list as tested on Kubernetes 1.34 to 1.36, at
    /// v3.32.1. Flannel: v0.28.10 (Flannel states no Kubernetes range; its manifest uses only stable APIs).</item>
    /// </list>
    /// </summary>
    public static readonly IReadOnlyList<KubernetesMinorRelease> Minors =
    [
        new("1.35", NewestPatch: "1.35.7", Etcd: "3.6.14", Containerd: "2.2.7", Runc: "1.3.6", CniPlugins: "1.9.0", Crictl: "1.33.0",
            Calico: "3.32.1", Flannel: "0.28.10"),
        new("1.36", NewestPatch: "1.36.3", Etcd: "3.6.14", Containerd: "2.3.4", Runc: "1.4.3", CniPlugins: "1.9.1", Crictl: "1.35.0",
            Calico: "3.32.1", Flannel: "0.28.10"),
    ];

    public static IReadOnlyList<string> SupportedMinors => Minors.Select(m => m.Minor).ToList();

    /// <summary>Every artifact name, in the order the catalogue lists them.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        ArtifactNames.KubeApiServer, ArtifactNames.KubeControllerManager, ArtifactNames.KubeScheduler, ArtifactNames.Kubelet,
        ArtifactNames.KubeProxy, ArtifactNames.Kubectl, ArtifactNames.Etcd, ArtifactNames.Containerd, ArtifactNames.Runc,
        ArtifactNames.CniPlugins, ArtifactNames.Crictl, ArtifactNames.CalicoManifest, ArtifactNames.FlannelManifest,
    ];

    /// <summary>The manifests of Kubernetes objects the coordinator reads (no instance installs them).</summary>
    public static readonly IReadOnlySet<string> ManifestNames = new HashSet<string>([ArtifactNames.CalicoManifest, ArtifactNames.FlannelManifest]);

    /// <summary>The minor's release set, or null for a version outside the supported minors.</summary>
    public static KubernetesMinorRelease? MinorOf(string kubernetesVersion)
    {
        var parts = Normalize(kubernetesVersion).Split('.');
        return parts.Length == 3 ? Minors.FirstOrDefault(m => m.Minor == $"{parts[0]}.{parts[1]}") : null;
    }

    /// <summary>major.minor.patch without the optional leading v, as the catalogue and the pins files name releases.</summary>
    public static string Normalize(string kubernetesVersion) => kubernetesVersion.StartsWith('v') ? kubernetesVersion[1..] : kubernetesVersion;

    /// <summary>Every artifact of a cluster running <paramref name="kubernetesVersion"/>, in <see cref="Names"/> order.</summary>
    public static IReadOnlyList<CatalogueEntry> For(string kubernetesVersion)
    {
        var version = Normalize(kubernetesVersion);
        var minor = MinorOf(version) ?? throw new ArgumentException(
            $"Kubernetes {kubernetesVersion} is not of a minor the artifact catalogue covers ({string.Join(", ", SupportedMinors.Select(m => m + ".x"))})",
            nameof(kubernetesVersion));
        return
        [
            KubernetesBinary(ArtifactNames.KubeApiServer, version),
            KubernetesBinary(ArtifactNames.KubeControllerManager, version),
            KubernetesBinary(ArtifactNames.KubeScheduler, version),
            KubernetesBinary(ArtifactNames.Kubelet, version),
            KubernetesBinary(ArtifactNames.KubeProxy, version),
            KubernetesBinary(ArtifactNames.Kubectl, version),
            Etcd(minor.Etcd),
            Containerd(minor.Containerd),
            Runc(minor.Runc),
            CniPlugins(minor.CniPlugins),
            Crictl(minor.Crictl),
            CalicoManifest(minor.Calico),
            FlannelManifest(minor.Flannel),
        ];
    }

    /// <summary>What a cluster of this spec uses: every artifact but the manifest of the pod network it does not run.</summary>
    public static IReadOnlyList<CatalogueEntry> UsedBy(ClusterSpec spec) => For(spec.KubernetesVersion).Where(e => e.UsedWith(spec.Cni)).ToList();

    /// <summary>The manifest of the pod network the cluster runs (<c>spec.cni</c>), which the coordinator reads into the add-ons.</summary>
    public static CatalogueEntry CniManifestOf(ClusterSpec spec) =>
        For(spec.KubernetesVersion).Single(e => e.Layout.Packing == ArtifactPacking.Manifest && e.Cni == spec.Cni);

    /// <summary>
    /// What the instances take from their distribution rather than from a release (<see cref="DistributionEntry"/>): not
    /// versioned with Kubernetes, installed by the agent with the package manager on AWS, packed from this machine's
    /// packages for the local provider.
    /// </summary>
    public static readonly IReadOnlyList<DistributionEntry> FromDistribution =
    [
        new(ArtifactNames.OpenVpn, ["openvpn", "iptables"],
            new HostPackage([new HostFile("openvpn", "/usr/sbin/openvpn")]),
            ArtifactLayout.TarGz("", "openvpn"), "openvpn-{version}-linux-{arch}.tar.gz",
            "Debian and Ubuntu package openvpn (/usr/sbin/openvpn); iptables masquerades the clients' traffic"),
        new(ArtifactNames.OpenSsh, ["openssh-server"],
            new HostPackage([new HostFile("openssh-server", "/usr/sbin/sshd"), new HostFile("openssh-client", "/usr/bin/ssh-keygen")]),
            ArtifactLayout.TarGz("", "sshd", "ssh-keygen"), "openssh-{version}-linux-{arch}.tar.gz",
            "Debian and Ubuntu packages openssh-server (/usr/sbin/sshd) and openssh-client (/usr/bin/ssh-keygen)"),
    ];

    /// <summary>The distribution entry of that name, or null when <paramref name="name"/> is a release artifact.</summary>
    public static DistributionEntry? Distribution(string name) => FromDistribution.FirstOrDefault(e => e.Name == name);

    public static CatalogueEntry Entry(string kubernetesVersion, string name) =>
        For(kubernetesVersion).FirstOrDefault(e => e.Name == name)
        ?? throw new ArgumentException($"the artifact catalogue has no '{name}' (it has {string.Join(", ", Names)})", nameof(name));

    private static CatalogueEntry KubernetesBinary(string name, string version) => new()
    {
        Name = name,
        Version = version,
        UrlPattern = $"https://dl.k8s.io/release/v{{version}}/bin/linux/{{arch}}/{name}",
        Checksum = new ChecksumLocation("{url}.sha256", ChecksumFormat.BareDigest),
        Layout = ArtifactLayout.Program(name),
        Source = "kubernetes/website install-kubectl-linux.md and install-kubeadm.md (per-binary URL); kubernetes/release "
                 + "pkg/release/release.go (bin/linux/<arch>/ staging; WriteChecksums: <file>.sha256 holds the bare digest)",
    };

    private static CatalogueEntry Etcd(string version) => new()
    {
        Name = ArtifactNames.Etcd,
        Version = version,
        UrlPattern = "https://github.com/etcd-io/etcd/releases/download/v{version}/etcd-v{version}-linux-{arch}.tar.gz",
        Checksum = new ChecksumLocation("https://github.com/etcd-io/etcd/releases/download/v{version}/SHA256SUMS", ChecksumFormat.Sha256Sum),
        // The release also holds etcdutl; Kubes installs the server and the client.
        Layout = ArtifactLayout.TarGz("etcd-v{version}-linux-{arch}", "etcd", "etcdctl"),
        HostPackage = new HostPackage([new HostFile("etcd-server", "/usr/bin/etcd"), new HostFile("etcd-client", "/usr/bin/etcdctl")]),
        Source = "etcd-io/etcd scripts/build-binary.sh (file name), scripts/release_notes.tpl.txt (download base, top folder), "
                 + "scripts/release.sh (one SHA256SUMS per release, shasum -a 256 lines)",
    };

    private static CatalogueEntry Containerd(string version) => new()
    {
        Name = ArtifactNames.Containerd,
        Version = version,
        UrlPattern = "https://github.com/containerd/containerd/releases/download/v{version}/containerd-{version}-linux-{arch}.tar.gz",
        Checksum = new ChecksumLocation("{url}.sha256sum", ChecksumFormat.Sha256Sum),
        Layout = ArtifactLayout.TarGz("bin", "containerd", "containerd-shim-runc-v2", "ctr"),
        HostPackage = new HostPackage([
            new HostFile("containerd", "/usr/bin/containerd"), new HostFile("containerd", "/usr/bin/containerd-shim-runc-v2"),
            new HostFile("containerd", "/usr/bin/ctr")]),
        Source = "containerd/containerd Makefile (RELEASE name, pack_release: one bin/ folder, release: sha256sum into "
                 + "<tarball>.sha256sum); docs/getting-started.md",
    };

    private static CatalogueEntry Runc(string version) => new()
    {
        Name = ArtifactNames.Runc,
        Version = version,
        UrlPattern = "https://github.com/opencontainers/runc/releases/download/v{version}/runc.{arch}",
        Checksum = new ChecksumLocation("https://github.com/opencontainers/runc/releases/download/v{version}/runc.sha256sum",
            ChecksumFormat.ClearSignedSha256Sum),
        Layout = ArtifactLayout.Program("runc"),
        HostPackage = new HostPackage([new HostFile("runc", "/usr/sbin/runc")]),
        Source = "opencontainers/runc script/release_build.sh (runc.<arch>, one runc.sha256sum per release), "
                 + "script/release_sign.sh (clear-signed in place); containerd docs/getting-started.md",
    };

    private static CatalogueEntry CniPlugins(string version) => new()
    {
        Name = ArtifactNames.CniPlugins,
        Version = version,
        UrlPattern = "https://github.com/containernetworking/plugins/releases/download/v{version}/cni-plugins-linux-{arch}-v{version}.tgz",
        Checksum = new ChecksumLocation("{url}.sha256", ChecksumFormat.Sha256Sum),
        // Every plugin sits at the archive's root; these are the ones a kubelet's pod network needs beside its CNI add-on.
        Layout = ArtifactLayout.TarGz("", "bridge", "host-local", "loopback", "portmap"),
        HostPackage = new HostPackage([.. new[] { "bridge", "host-local", "loopback", "portmap" }
            .Select(plugin => new HostFile("containernetworking-plugins", $"/usr/lib/cni/{plugin}"))]),
        Source = "containernetworking/plugins .github/workflows/release.yaml (archive of bin/ at its root, sha256sum into <tgz>.sha256)",
    };

    private static CatalogueEntry Crictl(string version) => new()
    {
        Name = ArtifactNames.Crictl,
        Version = version,
        UrlPattern = "https://github.com/kubernetes-sigs/cri-tools/releases/download/v{version}/crictl-v{version}-linux-{arch}.tar.gz",
        Checksum = new ChecksumLocation("{url}.sha256", ChecksumFormat.BareDigest),
        Layout = ArtifactLayout.TarGz("", "crictl"),
        // Debian has no package of it: the local provider's nodes go without.
        OperatorTool = true,
        Source = "kubernetes-sigs/cri-tools hack/release.sh (tarball of crictl; <tarball>.sha256 holds the digest only)",
    };

    private static CatalogueEntry CalicoManifest(string version) => new()
    {
        Name = ArtifactNames.CalicoManifest,
        Version = version,
        // The manifest lives in the repository at the release tag; the release's assets hold no checksum of it.
        UrlPattern = "https://raw.githubusercontent.com/projectcalico/calico/v{version}/manifests/calico.yaml",
        Checksum = null,
        Layout = ArtifactLayout.Manifest,
        Cni = CniKind.Calico,
        Source = "Calico's documentation, \"Install Calico networking and network policy for on-premises deployments\" "
                 + "(curl of manifests/calico.yaml at the release tag); Calico's system requirements (3.32: Kubernetes 1.34 to 1.36)",
    };

    private static CatalogueEntry FlannelManifest(string version) => new()
    {
        Name = ArtifactNames.FlannelManifest,
        Version = version,
        UrlPattern = "https://github.com/flannel-io/flannel/releases/download/v{version}/kube-flannel.yml",
        Checksum = null,
        Layout = ArtifactLayout.Manifest,
        Cni = CniKind.Flannel,
        Source = "flannel-io/flannel README.md (kubectl apply of kube-flannel.yml from the release's assets, which hold no checksum file)",
    };
}

/// <summary>A supported Kubernetes minor, its newest confirmed patch, and the releases of the rest paired with it.</summary>
public sealed record KubernetesMinorRelease(string Minor, string NewestPatch, string Etcd, string Containerd, string Runc,
    string CniPlugins, string Crictl, string Calico, string Flannel);
