namespace Kubes.Agent.Services;

/// <summary>
/// Installs and runs a role's services from systemd units: through systemd where it runs the host,
/// through the agent's own supervisor where it does not (containers, the local provider).
/// </summary>
public interface IServiceManager
{
    /// <summary>Writes the unit file and its drop-ins (and lets the service manager know they changed).</summary>
    Task InstallUnitAsync(SystemdUnit unit, CancellationToken cancellationToken);

    /// <summary>Whether the unit file and its drop-ins on disk are exactly this unit's.</summary>
    Task<bool> IsUnitInstalledAsync(SystemdUnit unit, CancellationToken cancellationToken);

    /// <summary>Enables the unit at boot and starts it now (nothing if it runs).</summary>
    Task EnableAndStartAsync(string name, CancellationToken cancellationToken);

    Task RestartAsync(string name, CancellationToken cancellationToken);

    Task StopAsync(string name, CancellationToken cancellationToken);

    Task<bool> IsActiveAsync(string name, CancellationToken cancellationToken);
}
