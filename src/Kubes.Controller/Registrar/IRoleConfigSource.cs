namespace Kubes.Controller.Registrar;

/// <summary>
/// The configuration an instance is to run, with the certificate identities it is entitled to: the registrar signs those
/// identities, as the same generation's issuance policy makes them, and no others. The registrar seals the configuration
/// (<see cref="Protos.V1.RoleConfig.ConfigHash"/>).
/// </summary>
public interface IRoleConfigSource
{
    /// <summary>What the instance is to run and hold now, with fresh artifact URLs.</summary>
    Task<DesiredRole> ForAsync(VerifiedInstance instance, CancellationToken cancellationToken);

    /// <summary>The config_hash of the configuration <see cref="ForAsync"/> answers: the tell in every answer to the instance's reports.</summary>
    Task<string> DesiredConfigHashAsync(VerifiedInstance instance, CancellationToken cancellationToken);

    /// <summary>
    /// The instance joins for the first time, its proof just spent: its slot runs what is desired now, unless the slot
    /// already has a place in a roll.
    /// </summary>
    Task FirstJoinAsync(VerifiedInstance instance, CancellationToken cancellationToken);
}
