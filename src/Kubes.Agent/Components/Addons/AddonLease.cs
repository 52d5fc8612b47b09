using System.Globalization;
using System.Text.Json.Nodes;
using Kubes.Protos.Contract;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// The Lease kube-system/kubes-addons (<c>coordination.k8s.io/v1</c>) as the election reads and writes it: who holds it,
/// since when, when it last renewed, for how long a renewal counts, and the resourceVersion a write must name.
/// </summary>
public sealed record AddonLease(
    string Holder,
    DateTimeOffset? AcquireTime,
    DateTimeOffset? RenewTime,
    int DurationSeconds,
    int Transitions,
    string ResourceVersion = "")
{
    public const string Collection = $"/apis/coordination.k8s.io/v1/namespaces/{AddonNames.Namespace}/leases";
    public const string Path = $"{Collection}/{AddonNames.LeaseAndRecord}";

    /// <summary>When another controller may take it over; null when it was never renewed (free to take).</summary>
    public DateTimeOffset? ExpiresAt => RenewTime + TimeSpan.FromSeconds(DurationSeconds);

    /// <exception cref="KubeApiException">The object has no spec or metadata as a Lease has.</exception>
    public static AddonLease Parse(JsonObject lease)
    {
        var spec = lease["spec"] as JsonObject ?? [];
        var metadata = lease["metadata"] as JsonObject ?? throw new KubeApiException($"the Lease at {Path} has no metadata");
        return new AddonLease(
            spec["holderIdentity"]?.GetValue<string>() ?? "",
            Time(spec["acquireTime"]),
            Time(spec["renewTime"]),
            spec["leaseDurationSeconds"]?.GetValue<int>() ?? 0,
            spec["leaseTransitions"]?.GetValue<int>() ?? 0,
            metadata["resourceVersion"]?.GetValue<string>() ?? "");
    }

    /// <summary>The whole object, naming <see cref="ResourceVersion"/> when it has one (an update of what was read).</summary>
    public string ToJson()
    {
        var metadata = new JsonObject { ["name"] = AddonNames.LeaseAndRecord, ["namespace"] = AddonNames.Namespace };
        if (ResourceVersion.Length > 0) metadata["resourceVersion"] = ResourceVersion;
        var spec = new JsonObject
        {
            ["holderIdentity"] = Holder,
            ["leaseDurationSeconds"] = DurationSeconds,
            ["leaseTransitions"] = Transitions,
        };
        if (AcquireTime is { } acquired) spec["acquireTime"] = MicroTime(acquired);
        if (RenewTime is { } renewed) spec["renewTime"] = MicroTime(renewed);
        return new JsonObject
        {
            ["apiVersion"] = "coordination.k8s.io/v1",
            ["kind"] = "Lease",
            ["metadata"] = metadata,
            ["spec"] = spec,
        }.ToJsonString();
    }

    /// <summary>The API's MicroTime: RFC 3339 in UTC with six fractional digits.</summary>
    public static string MicroTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(JsonNode? value) =>
        value?.GetValue<string>() is { Length: > 0 } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;
}
