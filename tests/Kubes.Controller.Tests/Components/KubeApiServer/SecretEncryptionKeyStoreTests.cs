using System.Text;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.State;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;

namespace Kubes.Controller.Tests.Components.KubeApiServer;

/// <summary>The cluster's Secret encryption keys: made once, sealed under the CA passphrase in the state store, rotated in three steps.</summary>
public sealed class SecretEncryptionKeyStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;
    private readonly CaPassphrase _passphrase = CaPassphrase.From("correct horse battery staple", "test");

    public SecretEncryptionKeyStoreTests() => _store = new FolderStateStore(_folder.Path);

    private SecretEncryptionKeyStore Keys(CaPassphrase? passphrase = null) => new(_store, passphrase ?? _passphrase);

    [Fact]
    public async Task One_key_is_made_once_and_the_state_store_holds_it_sealed()
    {
        var first = await Keys().LoadOrCreateAsync(CancellationToken.None);
        var again = await Keys().LoadOrCreateAsync(CancellationToken.None);

        var key = Assert.Single(first);
        Assert.Equal(first, again);
        Assert.Equal(32, Convert.FromBase64String(key.Secret).Length);
        var stored = Encoding.ASCII.GetString((await _store.GetAsync(SecretEncryptionKeyStore.Key))!.Content);
        Assert.StartsWith(PassphraseSeal.Header, stored);
        Assert.DoesNotContain(key.Secret, stored);
        Assert.DoesNotContain(key.Name, stored);
        Assert.DoesNotContain(key.Secret, key.ToString());
    }

    [Fact]
    public async Task Another_passphrase_or_an_altered_object_is_refused_by_name()
    {
        await Keys().LoadOrCreateAsync(CancellationToken.None);

        var wrong = await Assert.ThrowsAsync<PkiStoreException>(() =>
            Keys(CaPassphrase.From("another passphrase entirely", "test")).LoadOrCreateAsync(CancellationToken.None));
        var stored = (await _store.GetAsync(SecretEncryptionKeyStore.Key))!;
        var altered = Encoding.ASCII.GetString(stored.Content).Replace(PassphraseSeal.Header + "\n", PassphraseSeal.Header + "\nAAAA");
        await _store.PutAsync(SecretEncryptionKeyStore.Key, Encoding.ASCII.GetBytes(altered));
        var broken = await Assert.ThrowsAsync<PkiStoreException>(() => Keys().LoadOrCreateAsync(CancellationToken.None));

        Assert.Contains(SecretEncryptionKeyStore.Key, wrong.Message);
        Assert.Contains(CaPassphrase.EnvironmentVariable, wrong.Message);
        Assert.Contains(SecretEncryptionKeyStore.Key, broken.Message);
    }

    [Fact]
    public async Task Rotation_adds_a_key_that_only_reads_then_makes_it_write_then_retires_the_old_one()
    {
        var clock = new Kubes.Controller.Tests.Pki.Support.FixedClock();
        var old = Assert.Single(await Keys().LoadOrCreateAsync(CancellationToken.None));
        var store = new SecretEncryptionKeyStore(_store, _passphrase, clock);

        var added = await store.AddAsync(CancellationToken.None);
        var promoted = await store.PromoteNewestAsync(CancellationToken.None);
        Assert.Equal(promoted, await store.PromoteNewestAsync(CancellationToken.None));
        var retired = await store.RetireOthersAsync(CancellationToken.None);

        Assert.Equal([old.Name, "key-20300314T150926Z"], added.Select(k => k.Name));
        Assert.Equal(["key-20300314T150926Z", old.Name], promoted.Select(k => k.Name));
        Assert.Equal(["key-20300314T150926Z"], retired.Select(k => k.Name));
        Assert.Equal(retired, await Keys().LoadOrCreateAsync(CancellationToken.None));
    }

    public void Dispose() => _folder.Dispose();
}
