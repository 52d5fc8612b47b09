using Kubes.Agent.Steps;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components;

/// <summary>
/// One piece of a role (etcd, kube-apiserver, kubelet, ...), with everything about how it is installed in its own folder:
/// its steps, its flags, its file layout, its health check.
/// </summary>
public interface IComponent
{
    /// <summary>Its name in <see cref="Protos.Contract.ComponentNames"/>: reports and the spec's overrides use it too.</summary>
    string Name { get; }

    /// <summary>
    /// Its idempotent steps for this configuration, in order; step names are unique within the role. Throws
    /// <see cref="Conversation.InvalidRoleConfigException"/> when the configuration lacks what the component needs.
    /// </summary>
    IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config);

    /// <summary>Asks the running component itself whether it is healthy.</summary>
    Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken);
}
