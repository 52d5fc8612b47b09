using Kubes.Controller.Artifacts;
using Kubes.Controller.Components.OpenVpn;
using Kubes.Controller.State;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>
/// openvpn and OpenSSH come from the instances' distribution on AWS (no file, no pinned digest: apt checks the archive's
/// signed index) and from this machine's packages for the local provider (packed, pinned and mirrored like etcd).
/// </summary>
public sealed class DistributionEntryTests : IDisposable
{
    private const string Version = "1.36.3";
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task On_AWS_an_instance_is_told_to_install_the_distribution_s_packages_and_nothing_is_pinned()
    {
        var store = new FolderStateStore(_folder.Path);
        using var http = new HttpClient();
        var pinned = await new ArtifactPinning(store, http, ArtifactSite.Upstream, useHostPackages: false)
            .PinAsync(Version, "amd64", [ArtifactNames.OpenVpn, ArtifactNames.OpenSsh], CancellationToken.None);

        Assert.Empty(pinned.Missing);
        Assert.Empty(pinned.NewlyPinned);
        Assert.Empty(await store.ListAsync(ArtifactPinStore.Prefix));
        var artifacts = new RoleArtifacts(pinned, new FolderArtifactUrls(_folder.Path), ArtifactSite.Upstream);
        var openvpn = artifacts.ArtifactOf(pinned.Pins[ArtifactNames.OpenVpn]);
        Assert.Equal(["openvpn", "iptables"], openvpn.DistributionPackages);
        Assert.Empty(openvpn.Urls);
        Assert.Equal("", openvpn.Sha256);
        Assert.Equal(["openssh-server"], artifacts.ArtifactOf(pinned.Pins[ArtifactNames.OpenSsh]).DistributionPackages);
    }

    [Fact]
    public async Task Locally_this_machine_s_packages_are_packed_pinned_and_mirrored()
    {
        var store = new FolderStateStore(_folder.Path);
        using var http = new HttpClient();
        var pinned = await new ArtifactPinning(store, http, ArtifactSite.Upstream, useHostPackages: true)
            .PinAsync(Version, "amd64", [ArtifactNames.OpenVpn, ArtifactNames.OpenSsh], CancellationToken.None);

        Assert.Empty(pinned.Missing);
        foreach (var name in new[] { ArtifactNames.OpenVpn, ArtifactNames.OpenSsh })
        {
            var pin = pinned.Pins[name];
            Assert.Equal(PinSource.HostPackage, pin.Source);
            Assert.True(pin.IsMirrored);
            Assert.NotNull(await store.GetAsync(pin.MirrorKey));
        }
        Assert.Contains("openvpn ", pinned.Pins[ArtifactNames.OpenVpn].Evidence);
        Assert.Contains("openssh-server ", pinned.Pins[ArtifactNames.OpenSsh].Evidence);
    }

    [Fact]
    public void Every_role_takes_the_artifacts_its_components_name()
    {
        Assert.Equal([ArtifactNames.OpenVpn, ArtifactNames.OpenSsh], RoleArtifacts.NamesFor(InstanceRole.Bastion));
        Assert.Equal([ArtifactNames.Etcd, ArtifactNames.OpenSsh], RoleArtifacts.NamesFor(InstanceRole.Etcd));
        Assert.Contains(ArtifactNames.OpenVpn, new OpenVpnComponent().Artifacts);
    }

    public void Dispose() => _folder.Dispose();
}
