using System.Text;
using Kubes.Controller.State;

namespace Kubes.Controller.Tests.State;

/// <summary>The guarantees every state store gives; run over the folder store and over S3 (moto).</summary>
public abstract class StateStoreContractTests : IAsyncLifetime
{
    protected IStateStore Store { get; private set; } = null!;

    protected abstract Task<IStateStore> CreateStoreAsync();

    /// <summary>A second handle on the same storage, as another coordinator process would have.</summary>
    protected abstract IStateStore OpenAgain();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(StoredObject? stored) => Encoding.UTF8.GetString(stored!.Content);

    [Fact]
    public async Task A_missing_key_reads_as_null()
    {
        Assert.Null(await Store.GetAsync("nothing/here.json"));
    }

    [Fact]
    public async Task A_put_object_reads_back_with_the_version_the_put_returned()
    {
        var version = await Store.PutAsync("a/b/c.json", Bytes("one"));
        var stored = await Store.GetAsync("a/b/c.json");
        Assert.Equal("one", Text(stored));
        Assert.Equal(version, stored!.Version);
    }

    [Fact]
    public async Task An_empty_object_is_an_object()
    {
        await Store.PutAsync("empty", ReadOnlyMemory<byte>.Empty);
        var stored = await Store.GetAsync("empty");
        Assert.NotNull(stored);
        Assert.Empty(stored.Content);
    }

    [Fact]
    public async Task A_bounded_read_returns_objects_up_to_the_limit_and_refuses_larger_ones()
    {
        var version = await Store.PutAsync("limit/at", new byte[10]);
        await Store.PutAsync("limit/over", new byte[11]);
        await Store.PutAsync("limit/empty", ReadOnlyMemory<byte>.Empty);

        var atLimit = await Store.GetAsync("limit/at", maxBytes: 10);
        Assert.Equal((10, version), (atLimit!.Content.Length, atLimit.Version));
        Assert.Empty((await Store.GetAsync("limit/empty", maxBytes: 10))!.Content);
        Assert.Null(await Store.GetAsync("limit/missing", maxBytes: 10));
        var refused = await Assert.ThrowsAsync<StateObjectTooLargeException>(() => Store.GetAsync("limit/over", maxBytes: 10));
        Assert.Equal((11L, 10), (refused.Size, refused.MaxBytes));
        Assert.Contains("limit/over", refused.Message);
    }

    [Fact]
    public async Task A_put_replaces_the_object_and_its_version()
    {
        var first = await Store.PutAsync("k", Bytes("one"));
        var second = await Store.PutAsync("k", Bytes("two"));
        Assert.NotEqual(first, second);
        Assert.Equal("two", Text(await Store.GetAsync("k")));
    }

    [Fact]
    public async Task A_put_with_the_current_version_succeeds()
    {
        var version = await Store.PutAsync("k", Bytes("one"));
        var next = await Store.PutAsync("k", Bytes("two"), version);
        Assert.Equal(next, (await Store.GetAsync("k"))!.Version);
        Assert.Equal("two", Text(await Store.GetAsync("k")));
    }

    [Fact]
    public async Task A_put_with_a_stale_version_conflicts_and_changes_nothing()
    {
        var stale = await Store.PutAsync("k", Bytes("one"));
        await OpenAgain().PutAsync("k", Bytes("two"));
        await Assert.ThrowsAsync<StateConflictException>(() => Store.PutAsync("k", Bytes("three"), stale));
        Assert.Equal("two", Text(await Store.GetAsync("k")));
    }

    [Fact]
    public async Task A_put_with_a_version_on_a_missing_key_conflicts()
    {
        var version = await Store.PutAsync("k", Bytes("one"));
        await Store.DeleteAsync("k");
        await Assert.ThrowsAnyAsync<StateStoreException>(() => Store.PutAsync("k", Bytes("two"), version));
        Assert.Null(await Store.GetAsync("k"));
    }

    [Fact]
    public async Task Put_if_absent_writes_once_and_keeps_the_first_object()
    {
        Assert.True(await Store.PutIfAbsentAsync("once", Bytes("first")));
        Assert.False(await OpenAgain().PutIfAbsentAsync("once", Bytes("second")));
        Assert.Equal("first", Text(await Store.GetAsync("once")));
    }

    [Fact]
    public async Task List_returns_every_key_under_the_prefix_in_ordinal_order()
    {
        foreach (var key in new[] { "mail/requests/i-2/b.pb", "mail/requests/i-1/a.pb", "mail/requestsX", "mail/responses/i-1/a.pb", "other" })
        {
            await Store.PutAsync(key, Bytes(key));
        }
        Assert.Equal(["mail/requests/i-1/a.pb", "mail/requests/i-2/b.pb"], await Store.ListAsync("mail/requests/"));
        Assert.Equal(["mail/requests/i-1/a.pb", "mail/requests/i-2/b.pb", "mail/requestsX"], await Store.ListAsync("mail/requests"));
        Assert.Equal(5, (await Store.ListAsync("")).Count);
        Assert.Empty(await Store.ListAsync("nothing/"));
    }

    [Fact]
    public async Task Delete_removes_the_object_and_deleting_nothing_is_fine()
    {
        await Store.PutAsync("gone/soon", Bytes("x"));
        await Store.DeleteAsync("gone/soon");
        await Store.DeleteAsync("gone/soon");
        await Store.DeleteAsync("never/was");
        Assert.Null(await Store.GetAsync("gone/soon"));
        Assert.Empty(await Store.ListAsync("gone/"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/absolute")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData(".hidden")]
    [InlineData("a/../b")]
    [InlineData("spaces are out")]
    [InlineData("")]
    public async Task Keys_outside_the_key_syntax_are_refused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutIfAbsentAsync(key, Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));
    }
}
