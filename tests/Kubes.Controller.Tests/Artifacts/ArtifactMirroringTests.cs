using Kubes.Controller.Artifacts;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Artifacts.Support;
using Kubes.Controller.Tests.State;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>'kubes artifacts mirror' against a mirror site on 127.0.0.1 with a CA of its own.</summary>
public sealed class ArtifactMirroringTests : IAsyncLifetime
{
    private const string Version = "1.35.7";
    private readonly TempFolder _folder = new();
    private readonly FakeRelease _release = FakeRelease.For(Version);
    private ReleaseSite _site = null!;
    private HttpClient _http = null!;
    private FolderStateStore _store = null!;

    public async Task InitializeAsync()
    {
        _site = await ReleaseSite.StartAsync();
        _release.PublishTo(_site);
        _http = _site.TrustingClient();
        _store = new FolderStateStore(Path.Join(_folder.Path, "state"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _site.DisposeAsync();
        _folder.Dispose();
    }

    private Task<ArtifactReport> MirrorAsync(bool local = false, params string[] arches) =>
        new ArtifactMirroring(_store, _http, new ArtifactSite(_site.BaseUrl), local)
            .MirrorAsync(Version, arches.Length > 0 ? arches : ["amd64", "arm64"], replace: false, progress: null, CancellationToken.None);

    [Fact]
    public async Task Every_artifact_of_the_version_is_downloaded_verified_stored_and_pinned_for_each_arch()
    {
        var report = await MirrorAsync();

        Assert.True(report.Succeeded, string.Join("\n", report.Rows));
        Assert.Equal(26, report.Rows.Count);
        Assert.All(report.Rows, r => Assert.Equal(ArtifactOutcome.Mirrored, r.Outcome));
        Assert.Empty(report.StillMissing);
        foreach (var arch in CpuArchitecture.All)
        {
            var pins = await new ArtifactPinStore(_store).LoadAsync(Version, arch, CancellationToken.None);
            foreach (var entry in ArtifactCatalogue.For(Version))
            {
                var pin = pins[entry.Name];
                Assert.Equal(_release.Sha256(entry.Name, arch), pin.Sha256);
                Assert.Equal(_release.Files[(entry.Name, arch)], (await _store.GetAsync(pin.MirrorKey))!.Content);
            }
        }
    }

    [Fact]
    public async Task A_second_mirror_reads_the_checksum_files_again_and_downloads_nothing()
    {
        await MirrorAsync(false, "amd64");
        var kubelet = ArtifactCatalogue.Entry(Version, ArtifactNames.Kubelet);
        Assert.Equal((1, 1), (_site.GetsOf(kubelet.UrlFor("amd64")), _site.GetsOf(kubelet.ChecksumUrlFor("amd64"))));

        var again = await MirrorAsync(false, "amd64");

        Assert.All(again.Rows, r => Assert.Equal(ArtifactOutcome.AlreadyMirrored, r.Outcome));
        Assert.Equal((1, 2), (_site.GetsOf(kubelet.UrlFor("amd64")), _site.GetsOf(kubelet.ChecksumUrlFor("amd64"))));
    }

    [Fact]
    public async Task Bytes_that_differ_from_their_published_checksum_are_refused_and_not_stored()
    {
        var kubelet = ArtifactCatalogue.Entry(Version, ArtifactNames.Kubelet);
        _site.Publish(kubelet.UrlFor("amd64"), "#!/bin/sh\necho tampered\n"u8.ToArray());

        var report = await MirrorAsync(false, "amd64");

        Assert.False(report.Succeeded);
        var row = report.Rows.Single(r => r.Outcome == ArtifactOutcome.Failed);
        Assert.Equal("kubelet", row.Name);
        Assert.Contains($"served bytes with SHA-256 {FakeRelease.Sha256Of("#!/bin/sh\necho tampered\n"u8.ToArray())}", row.Detail);
        Assert.Contains("refused, nothing stored", row.Detail);
        Assert.Equal(["kubelet"], report.StillMissing.Select(m => m.Name));
        Assert.DoesNotContain("kubelet", (await new ArtifactPinStore(_store).LoadAsync(Version, "amd64", CancellationToken.None)).Keys);
    }

    [Fact]
    public async Task A_checksum_file_that_changed_after_mirroring_is_refused()
    {
        await MirrorAsync(false, "amd64");
        var rebuilt = FakeRelease.For(Version, build: "2");
        var runc = ArtifactCatalogue.Entry(Version, ArtifactNames.Runc);
        foreach (var (url, text) in rebuilt.ChecksumFiles(runc)) _site.Publish(url, System.Text.Encoding.UTF8.GetBytes(text));

        var report = await MirrorAsync(false, "amd64");

        var row = report.Rows.Single(r => r.Name == "runc");
        Assert.Equal(ArtifactOutcome.Failed, row.Outcome);
        Assert.Contains($"is now {rebuilt.Sha256("runc", "amd64")}", row.Detail);
        Assert.Equal(_release.Sha256("runc", "amd64"),
            (await new ArtifactPinStore(_store).LoadAsync(Version, "amd64", CancellationToken.None))["runc"].Sha256);
    }

    [Fact]
    public async Task The_local_provider_does_not_mirror_what_it_takes_from_this_machine()
    {
        var report = await MirrorAsync(true, "amd64");

        var etcd = report.Rows.Single(r => r.Name == "etcd");
        Assert.Equal(ArtifactOutcome.Ignored, etcd.Outcome);
        Assert.Equal(0, _site.GetsOf(ArtifactCatalogue.Entry(Version, "etcd").UrlFor("amd64")));
        Assert.True(report.Succeeded);
        Assert.Empty(report.StillMissing);
    }
}
