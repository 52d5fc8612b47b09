using Kubes.Protos.Contract;
using System.Text.Json;
using Kubes.Controller.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Single-use, expiring join tokens. The coordinator renders a token into an instance's user-data;
/// the store keeps only its SHA-256 with the expiry and what it is bound to: the cluster, the role
/// and slot, and the instance id: known at issue time, or bound as soon as the launch returns it
/// (<see cref="BindToInstanceAsync"/>). A token whose launch was never bound (the coordinator stopped in
/// between) is redeemable by the slot's instance that joins first.
/// Redeeming burns the token with a put-if-absent "used" marker, so of two concurrent redeems
/// exactly one wins.
/// </summary>
public sealed class JoinTokenStore
{
    public const string TokenPrefix = "kjt_";
    private const string Folder = "registrar/join-tokens/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IStateStore _store;
    private readonly string _cluster;
    private readonly TimeProvider _time;

    public JoinTokenStore(IStateStore store, string cluster, TimeProvider? time = null)
    {
        _store = store;
        _cluster = cluster;
        _time = time ?? TimeProvider.System;
    }

    public static bool HasTokenShape(string? token) => BearerSecret.HasShape(token, TokenPrefix);

    /// <summary>A token for whichever instance first joins the slot (user-data rendered before launch).</summary>
    public Task<string> IssueForSlotAsync(InstanceRole role, int slot, TimeSpan timeToLive,
        CancellationToken cancellationToken = default) =>
        IssueAsync(null, role, slot, timeToLive, cancellationToken);

    /// <summary>A token only the given instance may redeem.</summary>
    public Task<string> IssueForInstanceAsync(string instanceId, InstanceRole role, int slot, TimeSpan timeToLive,
        CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId)) throw new ArgumentException($"'{instanceId}' is not an instance id.", nameof(instanceId));
        return IssueAsync(instanceId, role, slot, timeToLive, cancellationToken);
    }

    /// <summary>
    /// Binds a token issued for a slot to the instance launched with it, once the cloud has named that instance.
    /// Binding again to the same instance changes nothing; to another, or a token already used, is refused.
    /// </summary>
    public async Task BindToInstanceAsync(string token, string instanceId, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId)) throw new ArgumentException($"'{instanceId}' is not an instance id.", nameof(instanceId));
        if (!HasTokenShape(token)) throw new ArgumentException("not a kubes join token", nameof(token));
        var hash = BearerSecret.HashOf(token);
        var stored = await _store.GetAsync(RecordKey(hash), cancellationToken)
            ?? throw new InvalidOperationException($"The join token to bind to {instanceId} is unknown to {_store.Location}.");
        var record = JsonSerializer.Deserialize<TokenRecord>(stored.Content, Json)
            ?? throw new StateStoreException($"The join token record {RecordKey(hash)} in {_store.Location} is empty.");
        if (record.InstanceId == instanceId) return;
        if (record.InstanceId is not null)
            throw new InvalidOperationException($"The join token for {record.Role}-{record.Slot} is bound to {record.InstanceId}, not {instanceId}.");
        if (await _store.GetAsync(UsedKey(hash), cancellationToken) is not null)
            throw new InvalidOperationException($"The join token for {record.Role}-{record.Slot} was used before it could be bound to {instanceId}.");
        await _store.PutAsync(RecordKey(hash), JsonSerializer.SerializeToUtf8Bytes(record with { InstanceId = instanceId }, Json),
            stored.Version, cancellationToken);
    }

    /// <summary>
    /// Checks the token against the claim and burns it. Nothing is burned when it is refused, so a
    /// request refused for a wrong claim does not spend the rightful instance's token.
    /// </summary>
    public async Task<JoinTokenRedemption> RedeemAsync(string token, string instanceId, InstanceRole role, int slot,
        CancellationToken cancellationToken = default)
    {
        if (!HasTokenShape(token))
        {
            return JoinTokenRedemption.Refuse(JoinTokenRefusal.Malformed,
                $"the join token is not a kubes join token ({TokenPrefix} and 43 base64url characters)");
        }
        var hash = BearerSecret.HashOf(token);
        var stored = await _store.GetAsync(RecordKey(hash), cancellationToken);
        if (stored is null)
        {
            return JoinTokenRedemption.Refuse(JoinTokenRefusal.Unknown,
                $"the join token is unknown to the state store {_store.Location}");
        }
        var record = JsonSerializer.Deserialize<TokenRecord>(stored.Content, Json)
            ?? throw new StateStoreException($"The join token record {RecordKey(hash)} in {_store.Location} is empty.");

        var now = _time.GetUtcNow();
        if (now >= record.ExpiresAt)
        {
            return JoinTokenRedemption.Refuse(JoinTokenRefusal.Expired, $"the join token expired at {record.ExpiresAt:u}");
        }
        if (record.Cluster != _cluster)
        {
            return JoinTokenRedemption.Refuse(JoinTokenRefusal.BoundToAnotherCluster,
                $"the join token belongs to cluster '{record.Cluster}', not '{_cluster}'");
        }
        if (record.InstanceId is not null && record.InstanceId != instanceId)
        {
            return JoinTokenRedemption.Refuse(JoinTokenRefusal.BoundToAnotherInstance,
                $"the join token belongs to instance {record.InstanceId}, not {instanceId}");
        }
        var claimed = $"{role.TagValue()}-{slot}";
        var bound = $"{record.Role}-{record.Slot}";
        if (claimed != bound)
        {
            return JoinTokenRedemption.Refuse(JoinTokenRefusal.BoundToAnotherSlot,
                $"the join token belongs to slot {bound}, not {claimed}");
        }

        // The burn itself says whether it was used: put-if-absent lets exactly one redemption through, however many
        // run at once; the marker is read only to say who used it.
        var burn = JsonSerializer.SerializeToUtf8Bytes(new UsedMarker(instanceId, now), Json);
        if (!await _store.PutIfAbsentAsync(UsedKey(hash), burn, cancellationToken))
        {
            var used = await _store.GetAsync(UsedKey(hash), cancellationToken);
            var marker = used is null ? null : JsonSerializer.Deserialize<UsedMarker>(used.Content, Json);
            return JoinTokenRedemption.Refuse(JoinTokenRefusal.AlreadyUsed,
                $"the join token was already used (by {marker?.InstanceId} at {marker?.At:u})");
        }
        return JoinTokenRedemption.Accept($"join token for {bound} redeemed by {instanceId}");
    }

    private async Task<string> IssueAsync(string? instanceId, InstanceRole role, int slot, TimeSpan timeToLive,
        CancellationToken cancellationToken)
    {
        if (timeToLive <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeToLive), "must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        var token = BearerSecret.Generate(TokenPrefix);
        var now = _time.GetUtcNow();
        var record = new TokenRecord(_cluster, role.TagValue(), slot, instanceId, now, now + timeToLive);
        var stored = await _store.PutIfAbsentAsync(RecordKey(BearerSecret.HashOf(token)),
            JsonSerializer.SerializeToUtf8Bytes(record, Json), cancellationToken);
        if (!stored) throw new InvalidOperationException("A freshly generated join token collided with a stored one.");
        return token;
    }

    private static string RecordKey(string hash) => $"{Folder}{hash}.json";

    private static string UsedKey(string hash) => $"{Folder}{hash}.used.json";

    private sealed record TokenRecord(
        string Cluster, string Role, int Slot, string? InstanceId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

    private sealed record UsedMarker(string InstanceId, DateTimeOffset At);
}
