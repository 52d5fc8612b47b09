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

    /// <summary>
    /// "Nothing is acknowledged before it is durable" includes the folder an object lives in: a writer that finds a folder
    /// another writer has just created, whose name in its parent is not flushed yet, answers only once it is.
    /// </summary>
    [Fact]
    public async Task A_writer_finding_a_folder_that_is_being_created_answers_only_after_the_folders_name_is_flushed()
    {
        using var held = new ManualResetEventSlim(false);
        var root = Path.GetFullPath(Root);
        var store = new FolderStateStore(root, parent =>
        {
            if (parent.Path == root) held.Wait(TimeSpan.FromSeconds(30));
            parent.Sync();
        });

        var creator = Task.Run(() => store.PutAsync("new/a", Bytes("a")));
        for (var i = 0; i < 500 && !Directory.Exists(Path.Join(root, "new")); i++) await Task.Delay(10);
        Assert.True(Directory.Exists(Path.Join(root, "new")));
        var finder = Task.Run(() => store.PutAsync("new/b", Bytes("b")));
        await Task.Delay(500);

        Assert.False(finder.IsCompleted, "the second write was acknowledged while its folder's name was not flushed");
        Assert.False(creator.IsCompleted);
        held.Set();
        await Task.WhenAll(creator, finder).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("b", Encoding.UTF8.GetString((await store.GetAsync("new/b"))!.Content));
    }

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

    // From the attacker's side: someone who can write into the store's folders (a local instance's process tree)
    // plants links and named pipes where the coordinator reads and writes.

    [Fact]
    public async Task A_folder_linked_to_elsewhere_is_not_listed_read_or_deleted_from_and_the_link_is_removed()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder.Path, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "r.pb"), "outside");
        await Store.PutAsync("mailbox/requests/i-1/a.pb", Bytes("inside"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "mailbox", "requests", "i-2"), elsewhere);

        Assert.Equal(["mailbox/requests/i-1/a.pb"], await Store.ListAsync("mailbox/requests/"));
        Assert.False(Path.Exists(Path.Combine(Root, "mailbox", "requests", "i-2")));
        await Store.DeleteAsync("mailbox/requests/i-2/r.pb");
        Assert.Equal("outside", File.ReadAllText(Path.Combine(elsewhere, "r.pb")));
    }

    [Fact]
    public async Task A_read_through_a_linked_folder_is_refused_and_the_link_removed()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder.Path, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(elsewhere, "r.pb"), "outside");
        Directory.CreateDirectory(Path.Combine(Root, "mailbox", "requests"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "mailbox", "requests", "i-2"), elsewhere);

        var refused = await Assert.ThrowsAsync<UnservableEntryException>(() => Store.GetAsync("mailbox/requests/i-2/r.pb"));
        Assert.Equal(Kubes.Controller.State.Folder.EntryKind.SymbolicLink, refused.Kind);
        Assert.False(Path.Exists(Path.Combine(Root, "mailbox", "requests", "i-2")));
        Assert.True(File.Exists(Path.Combine(elsewhere, "r.pb")));
    }

    [Fact]
    public async Task A_write_through_a_linked_folder_lands_in_the_store_not_outside()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_folder.Path, "elsewhere")).FullName;
        Directory.CreateDirectory(Path.Combine(Root, "mailbox", "responses"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "mailbox", "responses", "i-1"), elsewhere);

        await Store.PutAsync("mailbox/responses/i-1/a.pb", Bytes("answer"));
        Assert.True(await Store.PutIfAbsentAsync("mailbox/responses/i-1/b.pb", Bytes("answer")));

        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
        var folder = new DirectoryInfo(Path.Combine(Root, "mailbox", "responses", "i-1"));
        Assert.Null(folder.LinkTarget);
        Assert.Equal(["a.pb", "b.pb"], folder.GetFiles().Select(f => f.Name).Order());
    }

    [Fact]
    public async Task A_file_linked_to_elsewhere_is_neither_read_nor_overwritten_through()
    {
        var secret = Path.Combine(_folder.Path, "secret");
        File.WriteAllText(secret, "keep me");
        Directory.CreateDirectory(Path.Combine(Root, "a"));
        File.CreateSymbolicLink(Path.Combine(Root, "a", "read"), secret);
        File.CreateSymbolicLink(Path.Combine(Root, "a", "put"), secret);
        File.CreateSymbolicLink(Path.Combine(Root, "a", "absent"), secret);

        await Assert.ThrowsAsync<UnservableEntryException>(() => Store.GetAsync("a/read"));
        await Store.PutAsync("a/put", Bytes("new"));
        Assert.True(await Store.PutIfAbsentAsync("a/absent", Bytes("new")));

        Assert.Equal("keep me", File.ReadAllText(secret));
        Assert.False(Path.Exists(Path.Combine(Root, "a", "read")));
        Assert.Equal("new", Encoding.UTF8.GetString((await Store.GetAsync("a/put"))!.Content));
        Assert.Equal("new", Encoding.UTF8.GetString((await Store.GetAsync("a/absent"))!.Content));
    }

    [Fact]
    public async Task A_named_pipe_is_refused_without_blocking_and_removed()
    {
        Directory.CreateDirectory(Path.Combine(Root, "mailbox", "requests", "i-1"));
        var pipe = Path.Combine(Root, "mailbox", "requests", "i-1", "p.pb");
        MakeFifo(pipe);

        // Opening a pipe for reading would wait for a writer forever: the read must come back at once.
        var read = Task.Run(() => Store.GetAsync("mailbox/requests/i-1/p.pb", 1024));
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(20))));
        var refused = await Assert.ThrowsAsync<UnservableEntryException>(() => read);
        Assert.Equal(Kubes.Controller.State.Folder.EntryKind.NamedPipe, refused.Kind);
        Assert.False(Path.Exists(pipe));

        MakeFifo(pipe);
        Assert.Empty(await Store.ListAsync("mailbox/"));
        Assert.False(Path.Exists(pipe));
    }

    [Fact]
    public async Task A_linked_lock_file_is_replaced_not_followed()
    {
        var target = Path.Combine(_folder.Path, "target");
        File.WriteAllText(target, "keep me");
        var version = await Store.PutAsync("v", Bytes("1"));
        File.CreateSymbolicLink(Path.Combine(Root, ".lock"), target);

        await Store.PutAsync("v", Bytes("2"), version);

        Assert.Equal("keep me", File.ReadAllText(target));
        Assert.Null(new FileInfo(Path.Combine(Root, ".lock")).LinkTarget);
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }
}
