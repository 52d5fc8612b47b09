using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Kubes.Controller.Artifacts;
using Kubes.Protos.Contract;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>This machine's etcd (Debian's etcd-server and etcd-client) packed as the catalogue's etcd entry says.</summary>
public sealed class HostPackagePackerTests
{
    private static readonly CatalogueEntry Etcd = ArtifactCatalogue.Entry("1.36.3", ArtifactNames.Etcd);

    [Fact]
    public async Task Packing_this_machines_etcd_twice_gives_the_same_bytes_and_name()
    {
        var first = await HostPackagePacker.PackAsync(Etcd, CpuArchitecture.Amd64, CancellationToken.None);
        // Anything a packer could pick up from the run: the files' own times change, the bytes must not.
        await Task.Delay(1100);
        var second = await HostPackagePacker.PackAsync(Etcd, CpuArchitecture.Amd64, CancellationToken.None);

        Assert.Equal(first.FileName, second.FileName);
        Assert.Equal(SHA256.HashData(first.Content), SHA256.HashData(second.Content));
        Assert.Equal($"etcd-v{first.Version}-linux-amd64.tar.gz", first.FileName);
        Assert.Matches(@"^etcd-server \S+, etcd-client \S+$", first.Evidence);
    }

    [Fact]
    public async Task The_packed_etcd_has_the_upstream_layout_and_no_time_or_owner_of_this_machine()
    {
        var package = await HostPackagePacker.PackAsync(Etcd, CpuArchitecture.Amd64, CancellationToken.None);

        await using var gzip = new GZipStream(new MemoryStream(package.Content), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (await tar.GetNextEntryAsync() is { } entry) entries.Add(entry);

        Assert.Equal([$"etcd-v{package.Version}-linux-amd64/etcd", $"etcd-v{package.Version}-linux-amd64/etcdctl"],
            entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(TarEntryFormat.Ustar, e.Format);
            Assert.Equal(HostPackagePacker.ReproducibleTime, e.ModificationTime);
            Assert.Equal((0, 0), (e.Uid, e.Gid));
        });
        // The gzip header's own time field (bytes 4-7) is zero.
        Assert.Equal(new byte[4], package.Content[4..8]);
        Assert.Null(ArtifactLayoutCheck.ProblemWith(Etcd, package.Version, CpuArchitecture.Amd64, package.Content));
    }

    [Theory]
    [InlineData(ArtifactNames.Containerd)]
    [InlineData(ArtifactNames.Runc)]
    [InlineData(ArtifactNames.CniPlugins)]
    public async Task A_nodes_runtime_from_this_machines_packages_has_its_upstream_layout(string name)
    {
        var entry = ArtifactCatalogue.Entry("1.36.3", name);

        var package = await HostPackagePacker.PackAsync(entry, CpuArchitecture.Amd64, CancellationToken.None);

        Assert.Equal(entry.FileNameFor(package.Version, CpuArchitecture.Amd64), package.FileName);
        Assert.Null(ArtifactLayoutCheck.ProblemWith(entry, package.Version, CpuArchitecture.Amd64, package.Content));
    }

    [Fact]
    public async Task A_package_this_machine_lacks_names_the_apt_get_command()
    {
        var entry = Etcd with { HostPackage = new HostPackage([new HostFile("kubes-no-such-package", "/usr/bin/kubes-no-such-program")]) };

        var error = await Assert.ThrowsAsync<HostPackageMissingException>(() => HostPackagePacker.PackAsync(entry, CpuArchitecture.Amd64, CancellationToken.None));

        Assert.Contains("kubes-no-such-package is not installed", error.Message);
        Assert.Contains("apt-get install kubes-no-such-package", error.Message);
    }

    [Theory]
    [InlineData("3.4.23-4+b4", "3.4.23")]
    [InlineData("1.6.20~ds1-1+deb12u3", "1.6.20")]
    [InlineData("1.1.1+ds1-3+b5", "1.1.1")]
    [InlineData("1:2.3.4-1", "2.3.4")]
    [InlineData("1.5", "1.5")]
    public void The_upstream_version_drops_epoch_revision_and_repack_suffix(string debian, string upstream) =>
        Assert.Equal(upstream, HostPackagePacker.UpstreamVersion(debian));
}
