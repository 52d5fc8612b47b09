using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Kubes.Controller.Coordinator;
using Kubes.Controller.State;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Coordinator;

/// <summary>
/// What an instance downloads never changes under it: packing the same input gives the same bytes and name, and new
/// bytes get a new name beside the old one.
/// </summary>
public sealed class ArtifactMirrorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;

    public ArtifactMirrorTests() => _store = new FolderStateStore(Path.Combine(_folder.Path, "state"));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Packing_this_machines_etcd_twice_gives_the_same_bytes_and_the_same_mirror_key()
    {
        var first = await EtcdHostPackage.CreateAsync(CancellationToken.None);
        // Anything a packer could pick up from the run: the files' own times change, the bytes must not.
        await Task.Delay(1100);
        var second = await EtcdHostPackage.CreateAsync(CancellationToken.None);

        Assert.Equal(first.FileName, second.FileName);
        Assert.Equal(SHA256.HashData(first.Content), SHA256.HashData(second.Content));

        var mirror = new ArtifactMirror(_store);
        var stored = await mirror.PutAsync("etcd", first.Version, first.FileName, first.Content, CancellationToken.None);
        var again = await mirror.PutAsync("etcd", second.Version, second.FileName, second.Content, CancellationToken.None);
        Assert.Equal(stored, again);
        Assert.Equal($"artifacts/{stored.Sha256}/{first.FileName}", stored.Key);
    }

    [Fact]
    public async Task The_packed_etcd_carries_no_time_or_owner_of_this_machine()
    {
        var package = await EtcdHostPackage.CreateAsync(CancellationToken.None);

        await using var gzip = new GZipStream(new MemoryStream(package.Content), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (await tar.GetNextEntryAsync() is { } entry) entries.Add(entry);

        Assert.Equal([$"etcd-v{package.Version}-linux-amd64/etcd", $"etcd-v{package.Version}-linux-amd64/etcdctl"],
            entries.Select(e => e.Name));
        Assert.All(entries, e =>
        {
            Assert.Equal(TarEntryFormat.Ustar, e.Format);
            Assert.Equal(EtcdHostPackage.ReproducibleTime, e.ModificationTime);
            Assert.Equal((0, 0), (e.Uid, e.Gid));
        });
        // The gzip header's own time field (bytes 4-7) is zero.
        Assert.Equal(new byte[4], package.Content[4..8]);
    }

    [Fact]
    public async Task New_bytes_under_the_same_file_name_are_stored_beside_the_old_ones_which_stay_as_they_were()
    {
        var mirror = new ArtifactMirror(_store);
        var old = await mirror.PutAsync("etcd", "3.4.23", "etcd-v3.4.23-linux-amd64.tar.gz", "first build"u8.ToArray(), CancellationToken.None);
        var rebuilt = await mirror.PutAsync("etcd", "3.4.23", "etcd-v3.4.23-linux-amd64.tar.gz", "second build"u8.ToArray(), CancellationToken.None);

        Assert.NotEqual(old.Key, rebuilt.Key);
        Assert.Equal("first build"u8.ToArray(), (await _store.GetAsync(old.Key))!.Content);
        Assert.Equal("second build"u8.ToArray(), (await _store.GetAsync(rebuilt.Key))!.Content);
        Assert.Equal(rebuilt, await mirror.FindAsync("etcd", CancellationToken.None));
    }

    [Fact]
    public async Task A_second_put_of_the_indexed_bytes_writes_nothing()
    {
        var mirror = new ArtifactMirror(_store);
        var stored = await mirror.PutAsync("kubes-agent", "1", "kubes-agent", "agent"u8.ToArray(), CancellationToken.None);
        var index = await _store.GetAsync("artifacts/index.json");
        var file = Path.Combine(_folder.Path, "state", stored.Key);
        var written = File.GetLastWriteTimeUtc(file);

        await Task.Delay(20);
        await mirror.PutAsync("kubes-agent", "1", "kubes-agent", "agent"u8.ToArray(), CancellationToken.None);

        Assert.Equal(index!.Version, (await _store.GetAsync("artifacts/index.json"))!.Version);
        Assert.Equal(written, File.GetLastWriteTimeUtc(file));
    }
}
