using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.Components.KubeApiServer;

/// <summary>One key of the EncryptionConfiguration's secretbox provider: its name and 32 random bytes, base64.</summary>
public sealed record SecretEncryptionKey(string Name, string Secret)
{
    public const int Bytes = 32;

    public static SecretEncryptionKey Generate(DateTimeOffset now) =>
        new($"key-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}", Convert.ToBase64String(RandomNumberGenerator.GetBytes(Bytes)));

    public override string ToString() => $"{Name} (secret not shown)";
}

/// <summary>
/// The cluster's Secret encryption keys in its state store (<c>kube-apiserver/secret-encryption-keys.sealed</c>), made by
/// the first coordinator that needs them and sealed under the CA passphrase (<see cref="PassphraseSeal"/>), as the CA keys
/// are: they reach no disk but the state store, and no instance but the controllers, in the kube_apiserver section of
/// their role configuration over the agent's authenticated channel. The first key encrypts; every key decrypts
/// (docs/control-plane.md: rotation).
/// </summary>
public sealed class SecretEncryptionKeyStore(IStateStore store, CaPassphrase passphrase, TimeProvider? clock = null)
{
    public const string Key = "kube-apiserver/secret-encryption-keys.sealed";

    private string Location => $"{store.Location}/{Key}";

    /// <summary>The keys, or null when no coordinator made them yet (no <c>kubes up</c> of this cluster).</summary>
    public async Task<EquatableList<SecretEncryptionKey>?> FindAsync(CancellationToken cancellationToken) =>
        await store.GetAsync(Key, cancellationToken) is { } stored
            ? Parse(PassphraseSeal.Open(Encoding.ASCII.GetString(stored.Content), passphrase, Location))
            : null;

    public async Task<EquatableList<SecretEncryptionKey>> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Key, cancellationToken) is null)
        {
            var first = SecretEncryptionKey.Generate((clock ?? TimeProvider.System).GetUtcNow());
            // Put-if-absent: two coordinators racing on a new cluster keep the first key, and the loser reads it.
            await store.PutIfAbsentAsync(Key, Encoding.ASCII.GetBytes(PassphraseSeal.Seal(Serialize([first]), passphrase)), cancellationToken);
        }

        var stored = await store.GetAsync(Key, cancellationToken) ?? throw new StateStoreException($"{Location} vanished while it was written");
        return Parse(PassphraseSeal.Open(Encoding.ASCII.GetString(stored.Content), passphrase, Location));
    }

    /// <summary>
    /// Rotation, first half: a new key, added last, so that every apiserver can read what it will write before any writes
    /// with it. <see cref="PromoteNewestAsync"/> then makes it the one that writes.
    /// </summary>
    public Task<EquatableList<SecretEncryptionKey>> AddAsync(CancellationToken cancellationToken) =>
        ChangeAsync(keys => [.. keys, SecretEncryptionKey.Generate((clock ?? TimeProvider.System).GetUtcNow())], cancellationToken);

    /// <summary>
    /// Rotation, second half: the newest key (by its name, which is the moment it was made) first, so it encrypts; the others
    /// still decrypt. Running it again changes nothing.
    /// </summary>
    public Task<EquatableList<SecretEncryptionKey>> PromoteNewestAsync(CancellationToken cancellationToken) =>
        ChangeAsync(keys =>
        {
            var newest = keys.MaxBy(key => key.Name, StringComparer.Ordinal)!;
            return [newest, .. keys.Where(key => key != newest)];
        }, cancellationToken);

    /// <summary>Rotation, last: every key but the one that writes removed, once every Secret was written again with it.</summary>
    public Task<EquatableList<SecretEncryptionKey>> RetireOthersAsync(CancellationToken cancellationToken) =>
        ChangeAsync(keys => [keys[0]], cancellationToken);

    private async Task<EquatableList<SecretEncryptionKey>> ChangeAsync(Func<IReadOnlyList<SecretEncryptionKey>, IReadOnlyList<SecretEncryptionKey>> change,
        CancellationToken cancellationToken)
    {
        await LoadOrCreateAsync(cancellationToken);
        var stored = await store.GetAsync(Key, cancellationToken) ?? throw new StateStoreException($"{Location} vanished while it was changed");
        var changed = change(Parse(PassphraseSeal.Open(Encoding.ASCII.GetString(stored.Content), passphrase, Location)));
        await store.PutAsync(Key, Encoding.ASCII.GetBytes(PassphraseSeal.Seal(Serialize(changed), passphrase)), stored.Version, cancellationToken);
        return EquatableList.Of(changed);
    }

    private static byte[] Serialize(IEnumerable<SecretEncryptionKey> keys) =>
        Encoding.ASCII.GetBytes(string.Concat(keys.Select(key => $"{key.Name} {key.Secret}\n")));

    private EquatableList<SecretEncryptionKey> Parse(byte[] text)
    {
        var keys = new List<SecretEncryptionKey>();
        foreach (var line in Encoding.ASCII.GetString(text).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            var secret = new byte[SecretEncryptionKey.Bytes + 1];
            if (parts.Length != 2 || !Convert.TryFromBase64String(parts[1], secret, out var length) || length != SecretEncryptionKey.Bytes)
                throw new StateStoreException($"{Location} holds a line that is not a named 32-byte key; restore it from the state store's versions");
            keys.Add(new SecretEncryptionKey(parts[0], parts[1]));
        }

        return keys.Count > 0
            ? EquatableList.Of(keys)
            : throw new StateStoreException($"{Location} holds no key; restore it from the state store's versions");
    }
}
