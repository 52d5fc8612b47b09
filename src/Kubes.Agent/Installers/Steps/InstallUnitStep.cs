using Kubes.Agent.FileSystem;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;

namespace Kubes.Agent.Installers.Steps;

/// <summary>Render a service's configuration into its unit file; done when the file on disk is exactly that.</summary>
public sealed class InstallUnitStep(SystemdUnit unit, IServiceManager services) : IInstallStep
{
    public string Name => $"configure-{unit.Name}";

    public string InputHash => FileHash.OfInputs(unit.Render());

    public Task<bool> IsDoneAsync(CancellationToken cancellationToken) => services.IsUnitInstalledAsync(unit, cancellationToken);

    public Task ApplyAsync(CancellationToken cancellationToken) => services.InstallUnitAsync(unit, cancellationToken);
}
