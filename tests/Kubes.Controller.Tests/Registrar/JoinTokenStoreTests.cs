using System.Text;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Registrar;

public sealed class JoinTokenStoreTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly TempFolder _folder = new();
    private readonly ManualClock _clock = new();
    private readonly FolderStateStore _store;
    private readonly JoinTokenStore _tokens;

    public JoinTokenStoreTests()
    {
        _store = new FolderStateStore(_folder.Path);
        _tokens = new JoinTokenStore(_store, "prod", _clock);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_token_is_kjt_and_32_random_bytes_in_base64url()
    {
        var first = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, Hour);
        var second = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, Hour);
        Assert.Matches("^kjt_[A-Za-z0-9_-]{43}$", first);
        Assert.NotEqual(first, second);
        Assert.True(JoinTokenStore.HasTokenShape(first));
    }

    [Fact]
    public async Task The_store_keeps_only_the_tokens_hash()
    {
        var token = await _tokens.IssueForInstanceAsync("i-0123456789abcdef0", InstanceRole.Node, 2, Hour);
        await _tokens.RedeemAsync(token, "i-0123456789abcdef0", InstanceRole.Node, 2);

        var secret = token["kjt_".Length..];
        foreach (var key in await _store.ListAsync(""))
        {
            var content = Encoding.UTF8.GetString((await _store.GetAsync(key))!.Content);
            Assert.DoesNotContain(secret, content);
            Assert.DoesNotContain(secret, key);
        }
    }

    [Fact]
    public async Task A_token_redeems_once()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 1, Hour);
        Assert.True((await _tokens.RedeemAsync(token, "i-1", InstanceRole.Etcd, 1)).Accepted);

        var again = await _tokens.RedeemAsync(token, "i-1", InstanceRole.Etcd, 1);
        Assert.Equal(JoinTokenRefusal.AlreadyUsed, again.Refusal);
        Assert.Contains("i-1", again.Detail);
    }

    [Fact]
    public async Task A_slot_token_binds_to_the_first_instance_that_redeems_it()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Controller, 0, Hour);
        Assert.True((await _tokens.RedeemAsync(token, "i-first", InstanceRole.Controller, 0)).Accepted);
        Assert.Equal(JoinTokenRefusal.AlreadyUsed,
            (await _tokens.RedeemAsync(token, "i-second", InstanceRole.Controller, 0)).Refusal);
    }

    [Fact]
    public async Task A_slot_token_bound_at_launch_is_refused_to_another_instance_tagged_for_the_slot()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 2, Hour);
        await _tokens.BindToInstanceAsync(token, "i-0aaaaaaaaaaaaaaa1");

        var thief = await _tokens.RedeemAsync(token, "i-0bbbbbbbbbbbbbbb2", InstanceRole.Etcd, 2);
        Assert.Equal(JoinTokenRefusal.BoundToAnotherInstance, thief.Refusal);
        Assert.True((await _tokens.RedeemAsync(token, "i-0aaaaaaaaaaaaaaa1", InstanceRole.Etcd, 2)).Accepted);
    }

    [Fact]
    public async Task A_token_binds_to_one_instance_only_and_never_after_it_was_used()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Node, 0, Hour);
        await _tokens.BindToInstanceAsync(token, "i-0aaaaaaaaaaaaaaa1");
        await _tokens.BindToInstanceAsync(token, "i-0aaaaaaaaaaaaaaa1");
        await Assert.ThrowsAsync<InvalidOperationException>(() => _tokens.BindToInstanceAsync(token, "i-0bbbbbbbbbbbbbbb2"));

        var used = await _tokens.IssueForSlotAsync(InstanceRole.Node, 1, Hour);
        Assert.True((await _tokens.RedeemAsync(used, "i-0ccccccccccccccc3", InstanceRole.Node, 1)).Accepted);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _tokens.BindToInstanceAsync(used, "i-0ccccccccccccccc3"));
    }

    [Fact]
    public async Task A_token_expires_at_its_deadline()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, Hour);
        _clock.Advance(Hour);
        var redemption = await _tokens.RedeemAsync(token, "i-1", InstanceRole.Etcd, 0);
        Assert.Equal(JoinTokenRefusal.Expired, redemption.Refusal);
    }

    [Fact]
    public async Task A_token_just_before_its_deadline_redeems()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, Hour);
        _clock.Advance(Hour - TimeSpan.FromSeconds(1));
        Assert.True((await _tokens.RedeemAsync(token, "i-1", InstanceRole.Etcd, 0)).Accepted);
    }

    [Fact]
    public async Task Unknown_and_malformed_tokens_are_refused()
    {
        Assert.Equal(JoinTokenRefusal.Unknown,
            (await _tokens.RedeemAsync("kjt_" + new string('A', 43), "i-1", InstanceRole.Etcd, 0)).Refusal);
        foreach (var malformed in new[] { "", "kjt_short", "kac_" + new string('A', 43), "kjt_" + new string('!', 43) })
        {
            Assert.Equal(JoinTokenRefusal.Malformed, (await _tokens.RedeemAsync(malformed, "i-1", InstanceRole.Etcd, 0)).Refusal);
        }
    }

    [Fact]
    public async Task An_instance_token_is_refused_to_another_instance_and_stays_usable()
    {
        var token = await _tokens.IssueForInstanceAsync("i-owner", InstanceRole.Node, 0, Hour);
        var stolen = await _tokens.RedeemAsync(token, "i-thief", InstanceRole.Node, 0);
        Assert.Equal(JoinTokenRefusal.BoundToAnotherInstance, stolen.Refusal);
        Assert.True((await _tokens.RedeemAsync(token, "i-owner", InstanceRole.Node, 0)).Accepted);
    }

    [Theory]
    [InlineData(InstanceRole.Etcd, 1)]
    [InlineData(InstanceRole.Controller, 0)]
    public async Task A_token_is_refused_for_another_slot(InstanceRole role, int slot)
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, Hour);
        Assert.Equal(JoinTokenRefusal.BoundToAnotherSlot, (await _tokens.RedeemAsync(token, "i-1", role, slot)).Refusal);
        Assert.True((await _tokens.RedeemAsync(token, "i-1", InstanceRole.Etcd, 0)).Accepted);
    }

    [Fact]
    public async Task A_token_is_refused_by_another_clusters_registrar()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, Hour);
        var otherCluster = new JoinTokenStore(_store, "staging", _clock);
        Assert.Equal(JoinTokenRefusal.BoundToAnotherCluster,
            (await otherCluster.RedeemAsync(token, "i-1", InstanceRole.Etcd, 0)).Refusal);
    }

    [Fact]
    public async Task Of_concurrent_redeems_of_one_token_exactly_one_wins()
    {
        var token = await _tokens.IssueForSlotAsync(InstanceRole.Node, 3, Hour);
        using var start = new ManualResetEventSlim();
        var redeems = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            // Separate handles on the folder, as separate coordinator processes would have.
            var tokens = new JoinTokenStore(new FolderStateStore(_folder.Path), "prod", _clock);
            start.Wait();
            return await tokens.RedeemAsync(token, $"i-{i}", InstanceRole.Node, 3);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(redeems);

        Assert.Single(results, r => r.Accepted);
        Assert.All(results.Where(r => !r.Accepted), r => Assert.Equal(JoinTokenRefusal.AlreadyUsed, r.Refusal));
    }

    [Fact]
    public async Task A_lifetime_must_be_positive()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _tokens.IssueForSlotAsync(InstanceRole.Etcd, 0, TimeSpan.Zero));
    }
}
