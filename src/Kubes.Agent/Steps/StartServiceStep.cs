using System.Security.Cryptography;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Services;
using Kubes.Protos.V1;

namespace Kubes.Agent.Steps;

/// <summary>
/// Start a service, or restart it when its unit (drop-ins included) or any file it reads changed since it was started:
/// the inputs hold the contents of those files and of the unit's EnvironmentFile=s, read when the step's turn comes,
/// after the steps that write them. Done while it runs.
/// </summary>
public sealed class StartServiceStep(SystemdUnit unit, IServiceManager services, IReadOnlyList<string> filesItReads) : IInstallStep
{
    public string Name => $"start-{unit.Name}";

    public Phase Phase => Phase.Starting;

    public string InputHash => FileHash.OfInputs([
        unit.Render(), .. unit.DropIns.SelectMany(d => new[] { d.FileName, d.Render() }), .. FilesItReads.Select(ContentDigest)]);

    private IEnumerable<string> FilesItReads =>
        filesItReads
            .Concat(unit.EnvironmentFiles.Concat(unit.DropIns.SelectMany(d => d.EnvironmentFiles)).Select(f => f.TrimStart('-')))
            .Distinct();

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
        File.Exists(path) ? $"{path}:{Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}" : $"{path}:missing";
}
