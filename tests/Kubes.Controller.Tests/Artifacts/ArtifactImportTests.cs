using Kubes.Controller.Artifacts;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Artifacts.Support;
using Kubes.Controller.Tests.State;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>
/// 'kubes artifacts import DIR': how an air-gapped site, and the test stand-ins of the control plane, give a cluster its
/// artifacts: each file verified against the SHA256SUMS brought with it, matched to the catalogue by name, all or nothing.
/// </summary>
public sealed class ArtifactImportTests : IDisposable
{
    private const string Version = "1.36.3";
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;

    public ArtifactImportTests() => _store = new FolderStateStore(Path.Join(_folder.Path, "state"));

    public void Dispose() => _folder.Dispose();

    private string Bundle(string name, IEnumerable<(string, byte[])> files, IReadOnlyDictionary<string, string>? listed = null) =>
        ImportBundle.Write(Path.Join(_folder.Path, name), files, listed);

    private Task<ArtifactReport> ImportAsync(string directory, string arch = "amd64", bool replace = false, bool local = false) =>
        new ArtifactImport(_store, local).ImportAsync(directory, Version, arch, replace, CancellationToken.None);

    [Fact]
    public async Task A_folder_of_kubernetes_binaries_and_their_sha256sums_becomes_the_clusters_artifacts_for_the_version_and_arch()
    {
        var files = ImportBundle.KubernetesStandIns(Version, "amd64").ToList();

        var report = await ImportAsync(Bundle("bundle", files));

        Assert.True(report.Succeeded, string.Join("\n", report.Rows));
        Assert.Equal(["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubectl"], report.Rows.Select(r => r.Name));
        Assert.All(report.Rows, r => Assert.Equal((ArtifactOutcome.Imported, Version, "amd64"), (r.Outcome, r.Version, r.Arch)));
        var pins = await new ArtifactPinStore(_store).LoadAsync(Version, "amd64", CancellationToken.None);
        foreach (var (file, content) in files)
        {
            var pin = pins[file];
            Assert.Equal((PinSource.Import, FakeRelease.Sha256Of(content)), (pin.Source, pin.Sha256));
            Assert.Equal(content, (await _store.GetAsync(pin.MirrorKey))!.Content);
            Assert.EndsWith("bundle/SHA256SUMS", pin.Evidence);
        }
        Assert.Equal(["etcd", "containerd", "runc", "cni-plugins", "crictl", "calico-manifest", "flannel-manifest"], report.StillMissing.Select(m => m.Name));
        Assert.Empty(await new ArtifactPinStore(_store).LoadAsync(Version, "arm64", CancellationToken.None));

        var again = await ImportAsync(Path.Join(_folder.Path, "bundle"));
        Assert.All(again.Rows, r => Assert.Equal(ArtifactOutcome.AlreadyPinned, r.Outcome));
    }

    [Fact]
    public async Task One_wrong_digest_in_sha256sums_imports_nothing_of_the_bundle()
    {
        var files = ImportBundle.KubernetesStandIns(Version, "amd64").ToList();

        var report = await ImportAsync(Bundle("bad", files, new Dictionary<string, string> { ["kubelet"] = new string('0', 64) }));

        Assert.False(report.Succeeded);
        var kubelet = report.Rows.Single(r => r.Name == "kubelet");
        Assert.Equal(ArtifactOutcome.Failed, kubelet.Outcome);
        Assert.Contains($"its SHA-256 is {FakeRelease.Sha256Of(files.Single(f => f.Listed == "kubelet").Content)}, but SHA256SUMS line 4 says {new string('0', 64)}: refused", kubelet.Detail);
        Assert.All(report.Rows.Where(r => r.Name != "kubelet"), r => Assert.Contains("not imported: another file of the bundle failed", r.Detail));
        Assert.Empty(await _store.ListAsync("artifacts/"));
    }

    [Fact]
    public async Task Release_archives_are_matched_by_name_with_their_own_version_and_refused_without_their_programs()
    {
        var etcd = ArtifactCatalogue.Entry(Version, ArtifactNames.Etcd).AtVersion("3.6.13");
        var crictl = ArtifactCatalogue.Entry(Version, ArtifactNames.Crictl);
        var hollow = FakeRelease.Content(crictl with { Layout = ArtifactLayout.TarGz("", "critest") }, crictl.Version, "amd64");

        var report = await ImportAsync(Bundle("archives", [
            (etcd.FileNameFor("amd64"), FakeRelease.Content(etcd, "3.6.13", "amd64")),
            (crictl.FileNameFor("amd64"), hollow),
        ]));

        Assert.Equal((ArtifactOutcome.Failed, "3.6.13"), (report.Rows[0].Outcome, report.Rows[0].Version));
        Assert.Contains("verified, but not imported", report.Rows[0].Detail);
        Assert.Equal(ArtifactOutcome.Failed, report.Rows[1].Outcome);
        Assert.Contains("the archive lacks crictl; crictl is tar.gz: crictl", report.Rows[1].Detail);
    }

    [Fact]
    public async Task Files_for_another_architecture_and_files_outside_the_catalogue_are_ignored_with_the_reason()
    {
        var report = await ImportAsync(Bundle("mixed", [
            ("bin/linux/arm64/kubelet", "arm64 kubelet"u8.ToArray()),
            ("runc.arm64", "arm64 runc"u8.ToArray()),
            ("notes.txt", "read me"u8.ToArray()),
            ("bin/linux/amd64/kubelet", "amd64 kubelet"u8.ToArray()),
        ]));

        Assert.True(report.Succeeded);
        Assert.Equal([ArtifactOutcome.Ignored, ArtifactOutcome.Ignored, ArtifactOutcome.Ignored, ArtifactOutcome.Imported],
            report.Rows.Select(r => r.Outcome));
        Assert.Equal("for linux/arm64; import it with --arch arm64", report.Rows[0].Detail);
        Assert.Contains("not a file of the artifact catalogue for Kubernetes 1.36.3", report.Rows[2].Detail);

        var arm = await ImportAsync(Path.Join(_folder.Path, "mixed"), arch: "arm64");
        Assert.Equal([ArtifactOutcome.Imported, ArtifactOutcome.Imported, ArtifactOutcome.Ignored, ArtifactOutcome.Ignored],
            arm.Rows.Select(r => r.Outcome));
    }

    [Fact]
    public async Task Other_bytes_for_a_pinned_artifact_are_refused_unless_replace_is_given()
    {
        await ImportAsync(Bundle("first", [("kubelet", "build 1"u8.ToArray())]));
        var second = Bundle("second", [("kubelet", "build 2"u8.ToArray())]);

        var refused = await ImportAsync(second);
        Assert.Equal(ArtifactOutcome.Failed, refused.Rows.Single().Outcome);
        Assert.Contains("pass --replace to take this file instead", refused.Rows.Single().Detail);

        var replaced = await ImportAsync(second, replace: true);
        Assert.Equal(ArtifactOutcome.Replaced, replaced.Rows.Single().Outcome);
        var pins = await new ArtifactPinStore(_store).LoadAsync(Version, "amd64", CancellationToken.None);
        Assert.Equal(FakeRelease.Sha256Of("build 2"u8.ToArray()), pins["kubelet"].Sha256);
    }

    [Fact]
    public async Task The_local_provider_ignores_etcd_which_it_takes_from_this_machine()
    {
        var etcd = ArtifactCatalogue.Entry(Version, ArtifactNames.Etcd);

        var report = await ImportAsync(Bundle("local", [(etcd.FileNameFor("amd64"), FakeRelease.Content(etcd, etcd.Version, "amd64"))]), local: true);

        Assert.Equal(ArtifactOutcome.Ignored, report.Rows.Single().Outcome);
        Assert.Contains("apt-get install etcd-server etcd-client", report.Rows.Single().Detail);
        Assert.DoesNotContain(report.StillMissing, m => m.Name == ArtifactNames.Etcd);
    }

    [Theory]
    [InlineData(null, "does not exist: list the files with their digests beside them")]
    [InlineData("", "lists no file")]
    [InlineData("kubelet 0f5c\n", "line 1 is not 'SHA256  FILE'")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  ../kubelet\n", "'../kubelet' is not a path inside")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000  /usr/bin/kubelet\n", "is not a path inside")]
    public async Task A_missing_or_malformed_sha256sums_is_bad_input_and_changes_nothing(string? sums, string expected)
    {
        var folder = Directory.CreateDirectory(Path.Join(_folder.Path, "input")).FullName;
        if (sums is not null) await File.WriteAllTextAsync(Path.Join(folder, "SHA256SUMS"), sums);

        var error = await Assert.ThrowsAsync<ArtifactInputException>(() => ImportAsync(folder));

        Assert.Contains(expected, error.Message);
        Assert.Empty(await _store.ListAsync(""));
    }
}
