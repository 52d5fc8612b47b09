using System.Text;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Artifacts.Support;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Artifacts;

public sealed class ArtifactCatalogueTests
{
    public static TheoryData<string> Minors => new(ArtifactCatalogue.Minors.Select(m => m.Minor));

    [Theory]
    [MemberData(nameof(Minors))]
    public void Every_supported_minor_has_every_artifact_for_amd64_and_arm64(string minor)
    {
        var release = ArtifactCatalogue.Minors.Single(m => m.Minor == minor);
        var entries = ArtifactCatalogue.For(release.NewestPatch);

        Assert.Equal(["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl", "etcd",
            "containerd", "runc", "cni-plugins", "crictl", "calico-manifest", "flannel-manifest"], entries.Select(e => e.Name));
        foreach (var entry in entries.Where(e => e.Layout.Packing != ArtifactPacking.Manifest))
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            Assert.Equal(Uri.UriSchemeHttps, entry.UrlFor(arch).Scheme);
            Assert.Equal(Uri.UriSchemeHttps, entry.ChecksumUrlFor(arch).Scheme);
            Assert.Contains(arch, entry.UrlFor(arch).AbsolutePath);
            Assert.DoesNotContain("{", entry.UrlFor(arch).AbsoluteUri);
            Assert.DoesNotContain("{", entry.ChecksumUrlFor(arch).AbsoluteUri);
            Assert.NotEmpty(entry.Layout.Programs);
            Assert.False(string.IsNullOrWhiteSpace(entry.Source), $"{entry.Name} names no source");
        }
    }

    [Theory]
    [InlineData("1.35")]
    [InlineData("1.36")]
    public void Each_pod_network_has_one_manifest_without_a_published_checksum_at_one_url_for_every_architecture(string minor)
    {
        var release = ArtifactCatalogue.Minors.Single(m => m.Minor == minor);
        foreach (var cni in new[] { CniKind.Calico, CniKind.Flannel })
        {
            var spec = ClusterSpecDefaults.Aws("demo") with { KubernetesVersion = release.NewestPatch, Cni = cni };
            var manifest = ArtifactCatalogue.CniManifestOf(spec);
            Assert.True(manifest.PinnedOnFirstFetch);
            Assert.Equal(ArtifactPacking.Manifest, manifest.Layout.Packing);
            Assert.Equal(Uri.UriSchemeHttps, manifest.UrlFor("amd64").Scheme);
            Assert.Equal(manifest.UrlFor("amd64"), manifest.UrlFor("arm64"));
            Assert.Contains(ArtifactCatalogue.UsedBy(spec), e => e.Name == manifest.Name);
            Assert.DoesNotContain(ArtifactCatalogue.UsedBy(spec), e => e.Layout.Packing == ArtifactPacking.Manifest && e.Name != manifest.Name);
            Assert.Throws<InvalidOperationException>(() => manifest.ChecksumUrlFor("amd64"));
        }
    }

    [Fact]
    public void The_spec_supports_exactly_the_catalogued_minors_and_defaults_to_the_newest_confirmed_patch()
    {
        Assert.Equal(ArtifactCatalogue.SupportedMinors, KubernetesVersions.SupportedMinors);
        Assert.Equal(KubernetesVersions.Default, ArtifactCatalogue.Minors[^1].NewestPatch);
        Assert.All(ArtifactCatalogue.Minors, m => Assert.True(KubernetesVersions.IsSupported(m.NewestPatch), m.NewestPatch));
    }

    [Fact]
    public void Kubernetes_binaries_follow_the_clusters_patch_and_the_rest_its_minor()
    {
        var entries = ArtifactCatalogue.For("v1.35.2");

        Assert.Equal("https://dl.k8s.io/release/v1.35.2/bin/linux/arm64/kubelet",
            entries.Single(e => e.Name == "kubelet").UrlFor("arm64").AbsoluteUri);
        Assert.Equal("2.2.7", entries.Single(e => e.Name == "containerd").Version);
        Assert.Throws<ArgumentException>(() => ArtifactCatalogue.For("1.34.10"));
    }

    /// <summary>Every URL and checksum URL of every minor and architecture, and what each file holds.</summary>
    [Fact]
    public void Urls_checksums_and_layouts_are_the_golden_list()
    {
        var text = new StringBuilder();
        foreach (var minor in ArtifactCatalogue.Minors)
        {
            text.Append($"# Kubernetes {minor.Minor} (newest confirmed patch {minor.NewestPatch})\n");
            foreach (var arch in CpuArchitecture.All)
            foreach (var entry in ArtifactCatalogue.For(minor.NewestPatch))
            {
                text.Append($"{entry.Name} {entry.Version} linux/{arch}\n");
                text.Append($"  file      {entry.UrlFor(arch)}\n");
                text.Append(entry.Checksum is { } checksum
                    ? $"  checksum  {entry.ChecksumUrlFor(arch)} ({checksum.Format})\n"
                    : "  checksum  none published: the first fetch is pinned\n");
                text.Append($"  holds     {entry.Layout.Describe(entry.Version, arch)}\n");
                if (entry.HostPackage is { } host)
                    text.Append($"  local     {string.Join(", ", host.Files.Select(f => $"{f.Path} from {f.DebianPackage}"))}\n");
                if (entry.OperatorTool)
                    text.Append("  local     none: an operator's tool, which the local provider's instances go without\n");
            }
        }
        Golden.AssertMatches("catalogue.txt", text.ToString());
    }

    [Fact]
    public void Each_file_name_is_known_as_exactly_one_artifact_with_its_version_and_architecture()
    {
        foreach (var minor in ArtifactCatalogue.Minors)
        foreach (var arch in CpuArchitecture.All)
        foreach (var entry in ArtifactCatalogue.For(minor.NewestPatch))
        {
            var file = entry.FileNameFor(arch);
            var matches = ArtifactCatalogue.For(minor.NewestPatch).Where(e => e.Matches(file, out _, out _)).ToList();
            Assert.Equal([entry.Name], matches.Select(m => m.Name));
            Assert.True(entry.Matches(file, out var version, out var fileArch));
            Assert.Equal(entry.NameCarriesVersion ? entry.Version : null, version);
            Assert.Equal(entry.NameCarriesArch ? arch : null, fileArch);
        }
    }

    [Theory]
    [InlineData("etcd-v3.4.23-linux-amd64.tar.gz", "etcd", "3.4.23", "amd64")]
    [InlineData("bin/linux/arm64/kubelet", "kubelet", "1.36.3", "arm64")]
    [InlineData("./kube-apiserver", "kube-apiserver", "1.36.3", null)]
    [InlineData("runc.arm64", "runc", "1.4.3", "arm64")]
    [InlineData("cni-plugins-linux-amd64-v1.9.1.tgz", "cni-plugins", "1.9.1", "amd64")]
    [InlineData("containerd-static-2.3.4-linux-amd64.tar.gz", null, "", null)]
    [InlineData("kube-apiserver.sha256", null, "", null)]
    public void An_imported_file_is_matched_by_its_name(string listed, string? name, string version, string? arch)
    {
        var (entry, fileVersion, fileArch) = ArtifactImport.Match("1.36.3", listed, "amd64");

        Assert.Equal(name, entry?.Name);
        Assert.Equal(version, fileVersion);
        Assert.Equal(arch, fileArch);
    }
}
