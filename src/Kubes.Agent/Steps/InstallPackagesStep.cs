using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;

namespace Kubes.Agent.Steps;

/// <summary>
/// Install the distribution's own packages with its package manager (apt): done when dpkg reports each installed. apt
/// checks every package against the archive's index, which the distribution signs, so the provenance is the
/// distribution's and no digest is pinned here (<c>Artifact.distribution_packages</c>).
/// </summary>
public sealed class InstallPackagesStep(string name, IReadOnlyList<string> packages, CommandRunner commands) : IInstallStep
{
    private static readonly IReadOnlyDictionary<string, string> Noninteractive =
        new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };

    public string Name => name;

    public IReadOnlyList<string> Packages => packages;

    public string InputHash => FileHash.OfInputs([.. packages]);

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        foreach (var package in packages)
        {
            var query = await commands.RunAsync("dpkg-query", ["-W", "-f=${db:Status-Status}", package], cancellationToken);
            if (query.ExitCode != 0 || query.StandardOutput.Trim() != "installed")
            {
                return false;
            }
        }

        return true;
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        // A fresh image's package lists may be missing or stale: the install would not find the packages.
        await commands.RunCheckedAsync("apt-get", ["update", "-q"], Noninteractive, cancellationToken);
        await commands.RunCheckedAsync("apt-get", ["install", "-y", "-q", "--no-install-recommends", .. packages],
            Noninteractive, cancellationToken);
    }
}
