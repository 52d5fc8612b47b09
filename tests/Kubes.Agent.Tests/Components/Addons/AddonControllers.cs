using Kubes.Protos.Contract;
using Kubes.Agent.Components.Addons;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kubes.Agent.Tests.Components.Addons;

/// <summary>Controllers' add-on managers sharing one fake apiserver and one virtual clock.</summary>
public sealed class AddonControllers
{
    public FakeApiServer Server { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 3, 14, 9, 0, 0, TimeSpan.Zero));

    public AddonApiConnector Connector => new(layout => new KubeApiClient(layout.ApiServer, Server, disposeHandler: false));

    public AddonManager Manager() => new(Connector, new AddonLeaseElection(Time, NullLogger<AddonLeaseElection>.Instance),
        new AddonApplier(NullLogger<AddonApplier>.Instance), Time, NullLogger<AddonManager>.Instance);

    /// <summary>The PATCH requests of add-on objects (the record's own apply left out), by path.</summary>
    public List<string> Applied() => Server.Requests
        .Where(r => r.StartsWith("PATCH ", StringComparison.Ordinal) && !r.Contains(AddonNames.RecordPath, StringComparison.Ordinal))
        .Select(r => r["PATCH ".Length..r.IndexOf('?', StringComparison.Ordinal)])
        .ToList();

    public AppliedRecord Record()
    {
        var json = Server.Get(AddonNames.RecordPath)?["data"]?[AddonNames.RecordKey]?.GetValue<string>();
        return json is null ? AppliedRecord.Empty
            : System.Text.Json.JsonSerializer.Deserialize(json, AppliedRecordJsonContext.Default.AppliedRecord)!;
    }

    public AddonLease Lease() => AddonLease.Parse(Server.Get(AddonLease.Path)!);
}
