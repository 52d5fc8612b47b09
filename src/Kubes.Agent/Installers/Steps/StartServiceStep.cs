using Kubes.Agent.FileSystem;
using Kubes.Agent.Services;
using Kubes.Agent.Steps;
using Kubes.Protos.V1;

namespace Kubes.Agent.Installers.Steps;

/// <summary>
/// Start a service, or restart it when its unit or any file it reads changed since it was started
/// (the inputs include those files' hashes); done while it runs.
/// </summary>
public sealed class StartServiceStep(SystemdUnit unit, IServiceManager services, IReadOnlyList<string> filesItReads) : IInstallStep
{
    public string Name => $"start-{unit.Name}";

    public Phase Phase => Phase.Starting;

    public string InputHash => FileHash.OfInputs([unit.Render(), .. filesItReads.Select(ContentDigest)]);

    public Task<bool> IsDoneAsync(CancellationToken cancellationToken) => services.IsActiveAsync(unit.Name, cancellationToken);

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        if (await services.IsActiveAsync(unit.Name, cancellationToken))
        {
            await services.RestartAsync(unit.Name, cancellationToken);
        }
        else
        {
            await services.EnableAndStartAsync(unit.Name, cancellationToken);
        }
    }

    private static string ContentDigest(string path) =>
        File.Exists(path) ? $"{path}:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))}" : $"{path}:missing";
}
