using Kubes.Controller.Artifacts;
using Kubes.Controller.State;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Artifacts;

/// <summary>What an instance downloads never changes under it: new bytes get a new key beside the old one.</summary>
public sealed class ArtifactMirrorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;

    public ArtifactMirrorTests() => _store = new FolderStateStore(Path.Combine(_folder.Path, "state"));

    public void Dispose() => _folder.Dispose();

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

    [Fact]
    public async Task Stored_bytes_are_found_under_their_digest_and_nothing_else_is()
    {
        var mirror = new ArtifactMirror(_store);
        var (key, sha256) = await mirror.StoreAsync("kubelet", "kubelet bytes"u8.ToArray(), CancellationToken.None);

        Assert.Equal(ArtifactMirror.KeyOf(sha256, "kubelet"), key);
        Assert.True(await mirror.ContainsAsync(key, CancellationToken.None));
        Assert.False(await mirror.ContainsAsync(ArtifactMirror.KeyOf(new string('0', 64), "kubelet"), CancellationToken.None));
        Assert.False(await mirror.ContainsAsync(key[..^1], CancellationToken.None));
    }
}
