using Kubes.Agent.Steps;
using Kubes.Protos.V1;

namespace Kubes.Agent.Installers;

/// <summary>Installs one role as an ordered list of idempotent steps, then tells whether the role is healthy.</summary>
public interface IRoleInstaller
{
    Role Role { get; }

    /// <summary>The steps for this configuration; throws <see cref="Conversation.InvalidRoleConfigException"/> when it lacks what the role needs.</summary>
    IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config);

    Task<Health> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken);
}

/// <summary>The installers this agent has; a role without one is reported RoleNotInstallable.</summary>
public sealed class RoleInstallers(IEnumerable<IRoleInstaller> installers)
{
    public IRoleInstaller? For(Role role) => installers.FirstOrDefault(i => i.Role == role);
}
