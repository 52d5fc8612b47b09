using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kubes.Protos.Contract;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// The <see cref="AppliedRecord"/> in the cluster itself, the ConfigMap kube-system/kubes-addons (its data key
/// <c>applied.json</c>), so that whichever controller holds the lease next reads what the last one applied.
/// </summary>
public static class AppliedRecordStore
{

    /// <returns>The record; <see cref="AppliedRecord.Empty"/> when there is none yet.</returns>
    /// <exception cref="KubeApiException">The apiserver did not answer, or the ConfigMap holds no record that can be read.</exception>
    public static async Task<AppliedRecord> ReadAsync(KubeApiClient api, CancellationToken cancellationToken)
    {
        var answer = await api.GetAsync(AddonNames.RecordPath, cancellationToken);
        if (answer.StatusCode == (int)HttpStatusCode.NotFound) return AppliedRecord.Empty;
        if (!answer.IsSuccess) throw answer.Failure();
        if (answer.Object()["data"]?[AddonNames.RecordKey]?.GetValue<string>() is not { } json) return AppliedRecord.Empty;
        try
        {
            return JsonSerializer.Deserialize(json, AppliedRecordJsonContext.Default.AppliedRecord) ?? AppliedRecord.Empty;
        }
        catch (JsonException e)
        {
            // A damaged record only costs applying everything again, which the next write mends.
            throw new KubeApiException($"the ConfigMap {AddonNames.RecordPath} holds an {AddonNames.RecordKey} that cannot be read ({e.Message}); delete it to have every add-on applied again", e);
        }
    }

    /// <exception cref="KubeApiException">The apply was not accepted.</exception>
    public static async Task WriteAsync(KubeApiClient api, AppliedRecord record, CancellationToken cancellationToken)
    {
        var configMap = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = AddonNames.LeaseAndRecord, ["namespace"] = AddonNames.Namespace },
            ["data"] = new JsonObject { [AddonNames.RecordKey] = JsonSerializer.Serialize(record, AppliedRecordJsonContext.Default.AppliedRecord) },
        };
        var answer = await api.ApplyAsync(AddonNames.RecordPath, configMap.ToJsonString(), AddonNames.FieldManager, cancellationToken);
        if (!answer.IsSuccess) throw answer.Failure();
    }
}
