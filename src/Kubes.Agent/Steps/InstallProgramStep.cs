using Kubes.Agent.FileSystem;

namespace Kubes.Agent.Steps;

/// <summary>
/// Install a program that is its own artifact (kubelet, kubectl and runc are bare binaries upstream) from its verified
/// download into the bin folder, executable; done when the installed file has the artifact's SHA-256.
/// </summary>
public sealed class InstallProgramStep(string name, string download, string sha256, string destination) : IInstallStep
{
    public string Name => name;

    public string InputHash => FileHash.OfInputs(sha256.ToLowerInvariant(), destination);

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
        string.Equals(await FileHash.Sha256Async(destination, cancellationToken), sha256, StringComparison.OrdinalIgnoreCase)
        && (File.GetUnixFileMode(destination) & UnixFileMode.UserExecute) != 0;

    public Task ApplyAsync(CancellationToken cancellationToken)
    {
        AtomicFile.Install(download, destination, AtomicFile.Executable);
        return Task.CompletedTask;
    }
}
