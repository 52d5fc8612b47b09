using System.Runtime.Versioning;
using System.Text;
using Kubes.Controller.State;

namespace Kubes.Controller.Tests.State;

public sealed class FolderStateStoreTests : StateStoreContractTests, IDisposable
{
    private readonly TempFolder _folder = new();

    private string Root => Path.Combine(_folder.Path, "state");

    protected override Task<IStateStore> CreateStoreAsync() => Task.FromResult<IStateStore>(new FolderStateStore(Root));

    protected override IStateStore OpenAgain() => new FolderStateStore(Root);

    public void Dispose() => _folder.Dispose();

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Objects_are_private_to_the_owner()
    {
        await Store.PutAsync("registrar/agents/i-1.json", "{}"u8.ToArray());
        await Store.PutIfAbsentAsync("registrar/join-tokens/x.json", "{}"u8.ToArray());

        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(owner, File.GetUnixFileMode(Path.Combine(Root, "registrar/agents/i-1.json")));
        Assert.Equal(owner, File.GetUnixFileMode(Path.Combine(Root, "registrar/join-tokens/x.json")));
        foreach (var folder in new[] { Root, Path.Combine(Root, "registrar"), Path.Combine(Root, "registrar/agents") })
        {
            Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
    }

    [Fact]
    public async Task Writes_leave_no_temporary_files_behind()
    {
        await Store.PutAsync("a/b", "1"u8.ToArray());
        await Store.PutAsync("a/b", "2"u8.ToArray());
        await Store.PutIfAbsentAsync("a/b", "3"u8.ToArray());
        await Store.PutIfAbsentAsync("a/c", "4"u8.ToArray());

        Assert.Equal(["b", "c"], Directory.GetFiles(Path.Combine(Root, "a")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_key_lands_at_its_path_under_the_root()
    {
        await Store.PutAsync("mailbox/requests/i-1/r.pb", "x"u8.ToArray());
        Assert.True(File.Exists(Path.Combine(Root, "mailbox", "requests", "i-1", "r.pb")));
        Assert.Equal(Path.GetFullPath(Root), Store.Location);
    }

    [Fact]
    public void A_root_that_cannot_be_created_is_reported_with_the_next_step()
    {
        var blocker = Path.Combine(_folder.Path, "file");
        File.WriteAllText(blocker, "not a folder");
        var error = Assert.Throws<StateStoreException>(() => new FolderStateStore(Path.Combine(blocker, "state")));
        Assert.Contains("--state-store", error.Message);
    }

    // Atomicity under concurrency is tested here and not in the contract: moto checks S3's
    // If-None-Match / If-Match preconditions without a lock, so only real S3 makes them atomic.
    [Fact]
    public async Task Of_concurrent_puts_if_absent_exactly_one_wins()
    {
        var stores = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? Store : OpenAgain()).ToList();
        using var start = new ManualResetEventSlim();
        var attempts = stores.Select((store, i) => Task.Run(async () =>
        {
            start.Wait();
            return (Won: await store.PutIfAbsentAsync("race", Bytes($"writer {i}")), Writer: i);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(results, r => r.Won);
        Assert.Equal($"writer {winner.Writer}", Encoding.UTF8.GetString((await Store.GetAsync("race"))!.Content));
    }

    [Fact]
    public async Task Of_concurrent_versioned_puts_exactly_one_wins()
    {
        var version = await Store.PutAsync("counter", Bytes("start"));
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                await (i % 2 == 0 ? Store : OpenAgain()).PutAsync("counter", Bytes($"writer {i}"), version);
                return true;
            }
            catch (StateConflictException)
            {
                return false;
            }
        })).ToList();
        start.Set();
        Assert.Single(await Task.WhenAll(attempts), won => won);
    }
}
