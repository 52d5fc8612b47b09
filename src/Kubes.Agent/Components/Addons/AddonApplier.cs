using System.Net;
using Kubes.Protos.Contract;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// One round of the lease holder: reads the record; unless it names the set already, applies every new or changed
/// object server-side, deletes every object the set dropped, then records the set. What it applied is recorded after
/// every <see cref="BatchSize"/> objects and when it stops on a failure, so the next round (this controller's or the next
/// holder's) applies only what is missing. It asks whether the lease is still held before every write and stops at once
/// when it is not, recording nothing more.
/// </summary>
public sealed class AddonApplier(ILogger<AddonApplier> log)
{
    public const int BatchSize = 10;

    /// <param name="stillHolding">Whether this controller still holds the lease (renewing it when due).</param>
    /// <param name="progress">What the round is doing, for the health detail.</param>
    /// <returns>True when the set is applied and recorded; false when the round stopped because the lease was lost.</returns>
    /// <exception cref="KubeApiException">A call failed: the round stops there, and the next one starts again from the record.</exception>
    public async Task<bool> ApplyAsync(KubeApiClient api, AddonsLayout layout, Func<CancellationToken, Task<bool>> stillHolding,
        Action<string> progress, CancellationToken cancellationToken)
    {
        var record = await AppliedRecordStore.ReadAsync(api, cancellationToken);
        if (record.Set == layout.SetHash) return true;

        var plan = AddonApplyPlan.Between(layout.Objects, record);
        var progressed = new Dictionary<string, string>(record.Objects, StringComparer.Ordinal);
        var unrecorded = 0;
        try
        {
            for (var i = 0; i < plan.ToApply.Count; i++)
            {
                progress($"applying: {i} of {plan.ToApply.Count}");
                if (!await stillHolding(cancellationToken)) return false;
                var o = plan.ToApply[i];
                var answer = await api.ApplyAsync(o.Path, o.Json, AddonNames.FieldManager, cancellationToken);
                if (!answer.IsSuccess) throw answer.Failure();
                log.LogInformation("Applied {Path} of the add-on {Addon} ({Status})", o.Path, o.Addon, answer.StatusCode);
                progressed[o.Path] = AddonHashes.OfObject(o.Json);
                if (++unrecorded < BatchSize) continue;
                if (!await stillHolding(cancellationToken)) return false;
                await RecordProgressAsync(api, record, progressed, layout, cancellationToken);
                unrecorded = 0;
            }

            for (var i = 0; i < plan.ToDelete.Count; i++)
            {
                progress($"deleting: {i} of {plan.ToDelete.Count} objects the add-ons no longer have");
                if (!await stillHolding(cancellationToken)) return false;
                var path = plan.ToDelete[i];
                var answer = await api.DeleteAsync(path, cancellationToken);
                if (answer.StatusCode == (int)HttpStatusCode.NotFound) log.LogInformation("Deleted {Path}: it was gone already", path);
                else if (answer.IsSuccess) log.LogInformation("Deleted {Path}, which the add-ons no longer have", path);
                else throw answer.Failure();
                progressed.Remove(path);
                unrecorded++;
            }
        }
        catch (KubeApiException) when (unrecorded > 0)
        {
            await TryRecordProgressAsync(api, record, progressed, layout, cancellationToken);
            throw;
        }

        if (!await stillHolding(cancellationToken)) return false;
        await AppliedRecordStore.WriteAsync(api, new AppliedRecord
        {
            Set = layout.SetHash,
            By = layout.InstanceName,
            Objects = layout.Objects.ToDictionary(o => o.Path, o => AddonHashes.OfObject(o.Json), StringComparer.Ordinal),
        }, cancellationToken);
        log.LogInformation("The add-on set {Set} is applied ({Applied} applied, {Deleted} deleted, {Unchanged} unchanged)",
            layout.SetHash, plan.ToApply.Count, plan.ToDelete.Count, layout.Objects.Count - plan.ToApply.Count);
        return true;
    }

    /// <summary>The objects applied so far, under the set the record named before: the set is not applied whole yet.</summary>
    private static Task RecordProgressAsync(KubeApiClient api, AppliedRecord before, Dictionary<string, string> progressed,
        AddonsLayout layout, CancellationToken cancellationToken) =>
        AppliedRecordStore.WriteAsync(api, before with { By = layout.InstanceName, Objects = new Dictionary<string, string>(progressed) },
            cancellationToken);

    /// <summary>After a failure: a record that cannot be written either only costs applying those objects again.</summary>
    private async Task TryRecordProgressAsync(KubeApiClient api, AppliedRecord before, Dictionary<string, string> progressed,
        AddonsLayout layout, CancellationToken cancellationToken)
    {
        try
        {
            await RecordProgressAsync(api, before, progressed, layout, cancellationToken);
        }
        catch (KubeApiException e)
        {
            log.LogWarning("The add-ons applied before the failure could not be recorded ({Reason}): the next round applies them again", e.Message);
        }
    }
}
