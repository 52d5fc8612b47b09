using Kubes.Agent.Artifacts;
using Kubes.Controller.Artifacts;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Artifacts.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>
/// <c>kubes up</c>'s pinning against a mirror site on 127.0.0.1 with a CA of its own, serving checksum files in each
/// project's format: the digests it reads are pinned, a second run reads nothing, a changed checksum is refused, and
/// an agent given the pinned artifact refuses other bytes.
/// </summary>
public sealed class ArtifactPinningTests : IAsyncLifetime
{
    private const string Version = "1.36.3";
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

    private ArtifactPinning Pinning(bool local = false) => new(_store, _http, new ArtifactSite(_site.BaseUrl), local);

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public async Task Up_pins_the_digest_each_published_checksum_file_gives(string arch)
    {
        var pinned = await Pinning().PinAsync(Version, arch, ArtifactCatalogue.Names, CancellationToken.None);

        Assert.Empty(pinned.Missing);
        Assert.Equal(ArtifactCatalogue.Names.Order(), pinned.Pins.Keys.Order());
        foreach (var entry in ArtifactCatalogue.For(Version).Where(e => !e.PinnedOnFirstFetch))
        {
            var pin = pinned.Pins[entry.Name];
            Assert.Equal(_release.Sha256(entry.Name, arch), pin.Sha256);
            Assert.Equal((PinSource.Upstream, entry.FileNameFor(arch), entry.UrlFor(arch).AbsoluteUri), (pin.Source, pin.File, pin.Url));
            Assert.Equal(new ArtifactSite(_site.BaseUrl).Locate(entry.ChecksumUrlFor(arch)).AbsoluteUri, pin.Evidence);
        }
        // The manifests, whose projects publish no checksum: the file as first read, kept in the mirror.
        foreach (var entry in ArtifactCatalogue.For(Version).Where(e => e.PinnedOnFirstFetch))
        {
            var pin = pinned.Pins[entry.Name];
            Assert.Equal((PinSource.FirstFetch, _release.Sha256(entry.Name, arch), entry.UrlFor(arch).AbsoluteUri), (pin.Source, pin.Sha256, pin.Url));
            Assert.Equal(new ArtifactSite(_site.BaseUrl).Locate(entry.UrlFor(arch)).AbsoluteUri, pin.Evidence);
            Assert.Equal(_release.Files[(entry.Name, arch)], (await _store.GetAsync(pin.MirrorKey))!.Content);
        }
        Assert.Equal(pinned.Pins, await new ArtifactPinStore(_store).LoadAsync(Version, arch, CancellationToken.None));
        Assert.NotNull(await _store.GetAsync($"artifacts/pins/v{Version}/linux-{arch}.json"));
    }

    [Fact]
    public async Task A_second_run_reuses_the_pins_and_fetches_nothing()
    {
        var first = await Pinning().PinAsync(Version, "amd64", ArtifactCatalogue.Names, CancellationToken.None);
        var gets = _site.TotalGets;
        var pinsFile = await _store.GetAsync(ArtifactPinStore.KeyOf(Version, "amd64"));

        var second = await Pinning().PinAsync(Version, "amd64", ArtifactCatalogue.Names, CancellationToken.None);

        Assert.Equal(gets, _site.TotalGets);
        Assert.Equal(first.Pins, second.Pins);
        Assert.Empty(second.NewlyPinned);
        Assert.Equal(pinsFile!.Version, (await _store.GetAsync(ArtifactPinStore.KeyOf(Version, "amd64")))!.Version);
    }

    [Fact]
    public async Task A_checksum_file_that_changed_for_a_pinned_file_is_refused_and_nothing_is_pinned()
    {
        await Pinning().PinAsync(Version, "amd64", ArtifactCatalogue.Names, CancellationToken.None);
        // The same etcd 3.6.14 re-published with other bytes; a cluster moving to 1.36.2 reads its SHA256SUMS again.
        var rebuilt = FakeRelease.For(Version, build: "2");
        var etcd = ArtifactCatalogue.Entry(Version, ArtifactNames.Etcd);
        foreach (var (url, text) in rebuilt.ChecksumFiles(etcd)) _site.Publish(url, System.Text.Encoding.UTF8.GetBytes(text));

        var error = await Assert.ThrowsAsync<ChecksumChangedException>(() =>
            Pinning().PinAsync("1.36.2", "amd64", [ArtifactNames.Etcd], CancellationToken.None));

        Assert.Contains($"is now {rebuilt.Sha256(ArtifactNames.Etcd, "amd64")}", error.Message);
        Assert.Contains($"but {_release.Sha256(ArtifactNames.Etcd, "amd64")} was pinned", error.Message);
        Assert.Contains("Nothing was pinned or changed", error.Message);
        Assert.Empty(await new ArtifactPinStore(_store).LoadAsync("1.36.2", "amd64", CancellationToken.None));
    }

    [Fact]
    public async Task A_manifest_that_changed_at_its_url_since_its_first_fetch_is_refused_and_nothing_is_pinned_or_stored()
    {
        await Pinning().PinAsync(Version, "amd64", [ArtifactNames.CalicoManifest], CancellationToken.None);
        // Calico's calico.yaml at the same tag now serves other bytes; a cluster moving to 1.36.2 reads it again.
        var calico = ArtifactCatalogue.Entry(Version, ArtifactNames.CalicoManifest);
        var altered = FakeRelease.Content(calico, calico.Version, "amd64", build: "2");
        _site.Publish(calico.UrlFor("amd64"), altered);
        var mirrored = (await _store.ListAsync(ArtifactMirror.Prefix)).Count;

        var error = await Assert.ThrowsAsync<ChecksumChangedException>(() =>
            Pinning().PinAsync("1.36.2", "amd64", [ArtifactNames.CalicoManifest], CancellationToken.None));

        Assert.Contains($"now serves calico-manifest 3.32.1 (calico.yaml) with SHA-256 {FakeRelease.Sha256Of(altered)}", error.Message);
        Assert.Contains($"but {_release.Sha256(ArtifactNames.CalicoManifest, "amd64")} was pinned when it was first fetched", error.Message);
        Assert.Contains("Nothing was pinned or changed", error.Message);
        Assert.Empty(await new ArtifactPinStore(_store).LoadAsync("1.36.2", "amd64", CancellationToken.None));
        Assert.Equal(mirrored, (await _store.ListAsync(ArtifactMirror.Prefix)).Count);
    }

    [Fact]
    public async Task A_manifest_is_pinned_once_and_read_from_the_mirror_after_checked_against_its_pin()
    {
        await Pinning().PinAsync(Version, "amd64", [ArtifactNames.CalicoManifest], CancellationToken.None);
        var gets = _site.TotalGets;
        await Pinning().PinAsync(Version, "amd64", [ArtifactNames.CalicoManifest], CancellationToken.None);
        Assert.Equal(gets, _site.TotalGets);

        var manifest = Assert.Single(await new PinnedManifestReader(_store).ReadAsync([], CancellationToken.None));
        var expected = _release.Files[(ArtifactNames.CalicoManifest, "amd64")];
        Assert.Equal((ArtifactNames.CalicoManifest, "3.32.1", FakeRelease.Sha256Of(expected), System.Text.Encoding.UTF8.GetString(expected)),
            (manifest.Name, manifest.Version, manifest.Sha256, manifest.Text));

        // Someone rewrote the mirror's copy: the coordinator refuses it rather than hand its objects to the controllers.
        var pin = (await new ArtifactPinStore(_store).LoadAsync(Version, "amd64", CancellationToken.None))[ArtifactNames.CalicoManifest];
        await _store.PutAsync(pin.MirrorKey, "kind: Namespace\n"u8.ToArray());
        var error = await Assert.ThrowsAsync<StateStoreException>(() => new PinnedManifestReader(_store).ReadAsync([], CancellationToken.None));
        Assert.Contains("the mirror was altered", error.Message);
    }

    [Fact]
    public async Task Without_network_each_missing_artifact_is_one_line_with_the_commands_that_provide_it()
    {
        // Nothing listens on port 1 of the loopback address: as unreachable as the internet is from here.
        var pinning = new ArtifactPinning(_store, _http, new ArtifactSite("https://127.0.0.1:1/"), useHostPackages: false);

        var pinned = await pinning.PinAsync(Version, "amd64", ArtifactCatalogue.Names, CancellationToken.None);

        Assert.Empty(pinned.Pins);
        Assert.Equal(ArtifactCatalogue.Names, pinned.Missing.Select(m => m.Name));
        var line = pinned.Missing[0].Line;
        Assert.StartsWith("missing: kube-apiserver 1.36.3 linux/amd64: could not read https://127.0.0.1:1/dl.k8s.io/release/v1.36.3/bin/linux/amd64/kube-apiserver.sha256 (", line);
        Assert.Contains("'kubes artifacts mirror' (same -f or --local) on a machine with network", line);
        Assert.Contains("'kubes artifacts import DIR'", line);
        Assert.All(pinned.Lines, l => Assert.DoesNotContain('\n', l));
        Assert.Empty(await _store.ListAsync(ArtifactPinStore.Prefix));
    }

    [Fact]
    public async Task An_agent_given_the_pinned_artifact_fetches_its_bytes_and_refuses_bytes_that_differ()
    {
        var pinned = await Pinning().PinAsync(Version, "amd64", [ArtifactNames.Kubelet], CancellationToken.None);
        var artifact = new RoleArtifacts(pinned, new FolderArtifactUrls(_store.Location), new ArtifactSite(_site.BaseUrl))
            .ArtifactOf(pinned.Pins[ArtifactNames.Kubelet]);
        var fetcher = new ArtifactFetcher(_http, NullLogger<ArtifactFetcher>.Instance);
        var destination = Path.Join(_folder.Path, "instance", "kubelet");

        await fetcher.FetchAsync(artifact, destination, CancellationToken.None);
        Assert.Equal(_release.Files[(ArtifactNames.Kubelet, "amd64")], await File.ReadAllBytesAsync(destination));

        File.Delete(destination);
        var kubelet = ArtifactCatalogue.Entry(Version, ArtifactNames.Kubelet).UrlFor("amd64");
        _site.Publish(kubelet, "#!/bin/sh\necho 'not the pinned kubelet'\n"u8.ToArray());
        var refusal = await Assert.ThrowsAsync<ArtifactUnavailableException>(() => fetcher.FetchAsync(artifact, destination, CancellationToken.None));
        Assert.Contains($"expected {artifact.Sha256}", refusal.Message);
        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + ".partial"));
    }

    [Fact]
    public async Task The_local_provider_takes_etcd_from_this_machines_package_into_the_mirror_without_reading_the_site()
    {
        var pinned = await Pinning(local: true).PinAsync(Version, "amd64", [ArtifactNames.Etcd], CancellationToken.None);
        var pin = pinned.Pins[ArtifactNames.Etcd];

        Assert.Equal(0, _site.TotalGets);
        Assert.Equal(PinSource.HostPackage, pin.Source);
        Assert.Matches(@"^etcd-v\d+\.\d+\.\d+-linux-amd64\.tar\.gz$", pin.File);
        Assert.Equal(ArtifactMirror.KeyOf(pin.Sha256, pin.File), pin.MirrorKey);
        var artifact = Assert.Single(new RoleArtifacts(pinned, new FolderArtifactUrls(_store.Location), ArtifactSite.Upstream).For(InstanceRole.Etcd));
        var url = Assert.Single(artifact.Urls);
        Assert.Equal(pin.Sha256, FakeRelease.Sha256Of(await File.ReadAllBytesAsync(new Uri(url).LocalPath)));

        var again = await Pinning(local: true).PinAsync(Version, "amd64", [ArtifactNames.Etcd], CancellationToken.None);
        Assert.Empty(again.NewlyPinned);
    }

    [Fact]
    public async Task The_local_provider_takes_a_nodes_runtime_from_this_machine_and_goes_without_crictl_which_it_has_no_package_of()
    {
        string[] node = [ArtifactNames.Containerd, ArtifactNames.Runc, ArtifactNames.CniPlugins, ArtifactNames.Crictl];

        var pinned = await Pinning(local: true).PinAsync(Version, "amd64", node, CancellationToken.None);

        Assert.Equal(0, _site.TotalGets);
        Assert.Empty(pinned.Missing);
        Assert.Equal([ArtifactNames.CniPlugins, ArtifactNames.Containerd, ArtifactNames.Runc], pinned.Pins.Keys.Order());
        Assert.All(pinned.Pins.Values, pin => Assert.Equal(PinSource.HostPackage, pin.Source));
        Assert.Matches(@"^containerd-\d+\.\d+\.\d+-linux-amd64\.tar\.gz$", pinned.Pins[ArtifactNames.Containerd].File);
        Assert.Equal("runc.amd64", pinned.Pins[ArtifactNames.Runc].File);
        Assert.Matches(@"^cni-plugins-linux-amd64-v\d+\.\d+\.\d+\.tgz$", pinned.Pins[ArtifactNames.CniPlugins].File);
    }

    [Fact]
    public async Task On_aws_crictl_is_pinned_from_its_published_checksum_like_every_other_artifact()
    {
        var pinned = await Pinning().PinAsync(Version, "amd64", [ArtifactNames.Crictl], CancellationToken.None);

        Assert.Equal(PinSource.Upstream, pinned.Pins[ArtifactNames.Crictl].Source);
    }

    [Fact]
    public async Task A_role_config_artifact_lists_the_mirror_first_and_the_upstream_file_at_the_mirror_site_last()
    {
        var pin = new ArtifactPin
        {
            Name = ArtifactNames.Kubelet, Version = Version, File = "kubelet", Sha256 = new string('a', 64), Source = PinSource.Upstream,
            Url = "https://dl.k8s.io/release/v1.36.3/bin/linux/amd64/kubelet", MirrorKey = ArtifactMirror.KeyOf(new string('a', 64), "kubelet"),
        };
        var pinned = new PinnedArtifacts(Version, "amd64", new Dictionary<string, ArtifactPin> { [pin.Name] = pin }, [], []);

        var artifact = new RoleArtifacts(pinned, new FolderArtifactUrls("/state"), new ArtifactSite("https://mirror.example.com/kubes/"))
            .ArtifactOf(pin);

        Assert.Equal([$"file:///state/artifacts/{new string('a', 64)}/kubelet",
            "https://mirror.example.com/kubes/dl.k8s.io/release/v1.36.3/bin/linux/amd64/kubelet"], artifact.Urls);
        Assert.Equal((Version, pin.Sha256), (artifact.Version, artifact.Sha256));
    }
}
