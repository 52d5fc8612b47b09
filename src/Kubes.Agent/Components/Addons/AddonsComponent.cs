using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// The cluster's add-ons, applied from the controllers by the <see cref="AddonManager"/> in the background: no install
/// step (installing the role must not wait for the lease), only the configuration checked with the role's other
/// components. Each health check hands the manager the configuration the agent runs, and is healthy once the record in
/// the cluster names its set, whichever controller applied it. Unhealthy is only reported: nothing is reinstalled.
/// </summary>
public sealed class AddonsComponent(PkiFiles pki, AddonManager manager, AddonApiConnector connector) : IComponent
{
    public string Name => ComponentNames.Addons;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        _ = new AddonsLayout(config, pki);
        return [];
    }

    public async Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken)
    {
        var layout = new AddonsLayout(config, pki);
        manager.Follow(layout);
        AppliedRecord record;
        try
        {
            using var api = connector.Connect(layout);
            record = await AppliedRecordStore.ReadAsync(api, cancellationToken);
        }
        catch (KubeApiException e)
        {
            return Unhealthy($"the record of the applied add-ons cannot be read: {e.Message}");
        }

        return record.Set == layout.SetHash
            ? new ComponentHealth
            {
                Component = Name,
                Healthy = true,
                Detail = $"{layout.Objects.Count} objects applied (set {layout.SetHash[..12]}, by {record.By})",
            }
            : Unhealthy(manager.Detail);
    }

    private ComponentHealth Unhealthy(string detail) => new() { Component = Name, Healthy = false, Detail = detail };
}
