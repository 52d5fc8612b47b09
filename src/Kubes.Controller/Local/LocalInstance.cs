using System.Net;
using System.Text.Json.Serialization;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Local;

public enum LocalInstanceState { Pending, Running, Terminated }

/// <summary>
/// The session an instance's process tree was started in: its leader's pid (which is the session id) and
/// start time in clock ticks since boot, so a recycled pid is never mistaken for the leader.
/// </summary>
public readonly record struct LocalSession(int LeaderPid, ulong StartTicks);

/// <summary>One instance of the local provider as the registry records it.</summary>
public sealed record LocalInstance
{
    /// <summary><c>i-</c> and 17 lower-case hex digits, like EC2's.</summary>
    public required string InstanceId { get; init; }
    public required string Slot { get; init; }
    /// <summary>The role's tag value: bastion, etcd, controller or node.</summary>
    public required string Role { get; init; }
    public required string PrivateIp { get; init; }
    public required string Zone { get; init; }
    /// <summary>The instance's "disk": <c>&lt;state&gt;/instances/&lt;slot&gt;</c>, its KUBES_ROOT.</summary>
    public required string RootFolder { get; init; }
    public required IReadOnlyDictionary<string, string> Tags { get; init; }
    /// <summary>Its IMDSv2, which tells instances apart by source address: <c>http://&lt;bridge address&gt;:&lt;port&gt;/</c>.</summary>
    public required Uri MetadataEndpoint { get; init; }
    public LocalInstanceState State { get; init; } = LocalInstanceState.Pending;
    /// <summary>Null until the process tree is started.</summary>
    public LocalSession? Session { get; init; }
    public DateTimeOffset LaunchTime { get; init; }
    public DateTimeOffset? TerminatedAt { get; init; }

    [JsonIgnore]
    public string Cluster => Tags.GetValueOrDefault(ClusterTags.Cluster, "");

    [JsonIgnore]
    public IPAddress Address => IPAddress.Parse(PrivateIp);

    /// <summary>The user-data the instance boots with, as cloud-init keeps it: owner-only.</summary>
    [JsonIgnore]
    public string UserDataPath => Path.Join(RootFolder, "var", "lib", "cloud", "user-data");

    /// <summary>The instance's console: everything its init and user-data print.</summary>
    [JsonIgnore]
    public string ConsoleLogPath => Path.Join(RootFolder, "var", "log", "console.log");

    public bool TryGetKey(out ResourceKey key) =>
        ResourceKey.TryParse(Tags.GetValueOrDefault(ClusterTags.Resource), out key);
}
