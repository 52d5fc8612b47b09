using Kubes.Agent.FileSystem;
using Kubes.Agent.Services;

namespace Kubes.Agent.Steps;

/// <summary>Render a service's unit file and its drop-ins; done when the files on disk are exactly these.</summary>
public sealed class InstallUnitStep(SystemdUnit unit, IServiceManager services) : IInstallStep
{
    public string Name => $"configure-{unit.Name}";

    public string InputHash => FileHash.OfInputs([unit.Render(), .. unit.DropIns.SelectMany(d => new[] { d.FileName, d.Render() })]);

    public Task<bool> IsDoneAsync(CancellationToken cancellationToken) => services.IsUnitInstalledAsync(unit, cancellationToken);

    public Task ApplyAsync(CancellationToken cancellationToken) => services.InstallUnitAsync(unit, cancellationToken);
}
