using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components;

/// <summary>
/// Which components make each role, in the order they are installed. A role lists only components this agent has; a role
/// with none is one the agent cannot install yet (reported RoleNotInstallable).
/// </summary>
public sealed class RoleComponents
{
    /// <summary>The agent's roles. Adding a component: its folder under Components/, its registration, its name here.</summary>
    public static readonly IReadOnlyDictionary<Role, IReadOnlyList<string>> Installed = new Dictionary<Role, IReadOnlyList<string>>
    {
        [Role.Bastion] = [ComponentNames.Sshd, ComponentNames.OpenVpn],
        [Role.Etcd] = [ComponentNames.Etcd, ComponentNames.Sshd],
        [Role.Controller] = [ComponentNames.KubeApiServer, ComponentNames.KubeControllerManager, ComponentNames.KubeScheduler, ComponentNames.Addons,
            ComponentNames.Sshd],
        [Role.Node] = [ComponentNames.Containerd, ComponentNames.Cni, ComponentNames.Kubelet, ComponentNames.KubeProxy, ComponentNames.Sshd],
    };

    private readonly Dictionary<Role, IReadOnlyList<IComponent>> _byRole;

    public RoleComponents(IEnumerable<IComponent> components, IReadOnlyDictionary<Role, IReadOnlyList<string>>? roles = null)
    {
        var byName = new Dictionary<string, IComponent>(StringComparer.Ordinal);
        foreach (var component in components)
        {
            if (!byName.TryAdd(component.Name, component))
            {
                throw new InvalidOperationException($"two components are registered as '{component.Name}'");
            }
        }

        _byRole = (roles ?? Installed).ToDictionary(
            role => role.Key,
            role => (IReadOnlyList<IComponent>)role.Value.Select(name => byName.GetValueOrDefault(name) ?? throw new InvalidOperationException(
                $"the {role.Key} role lists the component '{name}', which is not registered")).ToList());
    }

    /// <summary>The role's components in install order; empty for a role this agent cannot install.</summary>
    public IReadOnlyList<IComponent> For(Role role) => _byRole.GetValueOrDefault(role) ?? [];
}
