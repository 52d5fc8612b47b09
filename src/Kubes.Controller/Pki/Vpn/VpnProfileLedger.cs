using System.Text.Json;
using Kubes.Controller.State;

namespace Kubes.Controller.Pki.Vpn;

/// <summary>Every profile issued and the VPN CA's current revocation list, as one object of the state store.</summary>
/// <param name="CrlNumber">Increased by every revocation list signed, as RFC 5280 wants.</param>
public sealed record VpnLedger(IReadOnlyList<VpnProfileRecord> Profiles, long CrlNumber, string CrlPem);

/// <summary>
/// The VPN's book in the state store (<c>vpn/ledger.json</c>): the profiles issued and the revocation list that refuses the
/// revoked ones. Profiles and list change together in one conditional write, so the list the bastion gets always matches
/// the book, and two operators revoking at once both have their way. The list is signed by the VPN CA when the ledger is
/// first made (empty) and at every revocation; it is valid as long as the CA is, because openvpn refuses every client once
/// the list it holds has expired, and the bastion only gets a new one by re-sync.
/// </summary>
public sealed class VpnProfileLedger(IStateStore store, TimeProvider? clock = null)
{
    public const string Key = "vpn/ledger.json";
    private const int MaxAttempts = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>The ledger, made (with an empty, signed revocation list) when the cluster has none yet.</summary>
    public async Task<VpnLedger> LoadOrCreateAsync(CertificateAuthority vpnCa, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Key, cancellationToken) is { } stored) return Parse(stored);
        var fresh = new VpnLedger([], 1, VpnRevocationList.Sign(vpnCa, [], 1, _clock.GetUtcNow()));
        await store.PutIfAbsentAsync(Key, JsonSerializer.SerializeToUtf8Bytes(fresh, Json), cancellationToken);
        return Parse(await store.GetAsync(Key, cancellationToken)
                     ?? throw new StateStoreException($"{store.Location}/{Key} vanished while it was written"));
    }

    /// <summary>Reads the ledger without making one; null when no coordinator has made it yet.</summary>
    public async Task<VpnLedger?> FindAsync(CancellationToken cancellationToken) =>
        await store.GetAsync(Key, cancellationToken) is { } stored ? Parse(stored) : null;

    /// <summary>Applies <paramref name="change"/> to the stored ledger and writes the result only if no one else wrote meanwhile.</summary>
    /// <param name="change">Returns the new ledger, or null to leave it as it is; may throw to refuse the change.</param>
    public async Task<VpnLedger> UpdateAsync(CertificateAuthority vpnCa, Func<VpnLedger, VpnLedger?> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await LoadOrCreateAsync(vpnCa, cancellationToken);
            var stored = await store.GetAsync(Key, cancellationToken)
                         ?? throw new StateStoreException($"{store.Location}/{Key} vanished while it was updated");
            var current = Parse(stored);
            if (change(current) is not { } next) return current;
            try
            {
                await store.PutAsync(Key, JsonSerializer.SerializeToUtf8Bytes(next, Json), stored.Version, cancellationToken);
                return next;
            }
            catch (StateConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>The ledger with <paramref name="name"/>'s active profiles revoked and a new list signed; null when none is active.</summary>
    public static VpnLedger? Revoked(VpnLedger ledger, string name, CertificateAuthority vpnCa, DateTimeOffset now)
    {
        if (!ledger.Profiles.Any(p => p.Name == name && p.StateAt(now) == VpnProfileState.Active)) return null;
        var profiles = ledger.Profiles
            .Select(p => p.Name == name && p.StateAt(now) == VpnProfileState.Active ? p with { RevokedAt = now } : p)
            .ToList();
        var number = ledger.CrlNumber + 1;
        return new VpnLedger(profiles, number, VpnRevocationList.Sign(vpnCa, profiles, number, now));
    }

    private VpnLedger Parse(StoredObject stored) =>
        JsonSerializer.Deserialize<VpnLedger>(stored.Content, Json)
        ?? throw new StateStoreException($"{store.Location}/{Key} holds no ledger; restore it from the bucket's versions");
}
