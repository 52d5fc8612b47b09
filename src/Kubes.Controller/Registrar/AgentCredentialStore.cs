using Kubes.Protos.Contract;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kubes.Controller.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>What the registrar remembers of a joined agent: where it sits and its credential's hash.</summary>
public sealed record AgentRecord(
    string InstanceId,
    InstanceRole Role,
    int Slot,
    string Name,
    string AvailabilityZone,
    string PrivateIp,
    string CredentialSha256,
    DateTimeOffset JoinedAt)
{
    [JsonIgnore]
    public IPAddress Address => IPAddress.Parse(PrivateIp);
}

/// <summary>
/// Agent credentials: the bearer secret a joined agent presents on Certify and Report, bound to its
/// instance id. One record per instance, created with put-if-absent, so an instance joins once;
/// later it re-joins with the same credential.
/// </summary>
public sealed class AgentCredentialStore
{
    public const string CredentialPrefix = "kac_";
    private const string Folder = "registrar/agents/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly IStateStore _store;
    private readonly TimeProvider _time;

    public AgentCredentialStore(IStateStore store, TimeProvider? time = null)
    {
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    public static bool HasCredentialShape(string? credential) => BearerSecret.HasShape(credential, CredentialPrefix);

    /// <summary>A new credential for the instance, or null when the instance already has one.</summary>
    public async Task<string?> TryRegisterAsync(VerifiedInstance instance, CancellationToken cancellationToken = default)
    {
        var credential = BearerSecret.Generate(CredentialPrefix);
        var record = new AgentRecord(instance.InstanceId, instance.Role, instance.Slot.Index, instance.Name,
            instance.Slot.Zone.Zone, instance.PrivateIp.ToString(), BearerSecret.HashOf(credential), _time.GetUtcNow());
        var created = await _store.PutIfAbsentAsync(KeyOf(instance.InstanceId),
            JsonSerializer.SerializeToUtf8Bytes(record, Json), cancellationToken);
        return created ? credential : null;
    }

    public async Task<AgentRecord?> FindAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!InstanceIds.IsValid(instanceId)) return null;
        var stored = await _store.GetAsync(KeyOf(instanceId), cancellationToken);
        return stored is null ? null : JsonSerializer.Deserialize<AgentRecord>(stored.Content, Json);
    }

    /// <summary>The instance's record when the credential is the one issued to it; otherwise null.</summary>
    public async Task<AgentRecord?> VerifyAsync(string instanceId, string credential,
        CancellationToken cancellationToken = default)
    {
        if (!HasCredentialShape(credential)) return null;
        var record = await FindAsync(instanceId, cancellationToken);
        return record is not null && BearerSecret.Matches(credential, record.CredentialSha256) ? record : null;
    }

    /// <summary>Forgets the agent (its instance was replaced or terminated); its credential stops working.</summary>
    public Task ForgetAsync(string instanceId, CancellationToken cancellationToken = default) =>
        _store.DeleteAsync(KeyOf(instanceId), cancellationToken);

    private static string KeyOf(string instanceId) => $"{Folder}{instanceId}.json";
}
