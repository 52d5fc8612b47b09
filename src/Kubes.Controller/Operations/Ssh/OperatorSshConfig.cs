using Kubes.Controller.Providers;

namespace Kubes.Controller.Operations.Ssh;

/// <summary>What <c>kubes ssh-config</c> wrote: the hosts, and until when the key's certificate lets the operator in.</summary>
public sealed record SshConfigWritten(string ConfigFile, string Folder, IReadOnlyList<string> Aliases, DateTimeOffset ValidUntil);

/// <summary>
/// <c>kubes ssh-config [--remove]</c>: the cluster's block in the operator's ssh config (<c>~/.ssh/config</c>), with a key,
/// its certificate and the cluster's known_hosts in a folder of the cluster beside it (<c>~/.ssh/kubes/&lt;cluster&gt;/</c>).
/// Running it again makes a new key and certificate and puts the block where it was; the rest of the file is never touched.
/// </summary>
public sealed class OperatorSshConfig(IClusterSession session, TimeProvider? clock = null)
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The folder of the cluster's key, certificate and known_hosts, beside <paramref name="configFile"/>.</summary>
    public string FolderFor(string configFile) =>
        Path.Join(Path.GetDirectoryName(Path.GetFullPath(configFile))!, "kubes", session.Topology.Spec.Name);

    public async Task<SshConfigWritten> WriteAsync(string configFile, CancellationToken cancellationToken)
    {
        var cluster = session.Topology.Spec.Name;
        var sshFolder = Path.GetDirectoryName(Path.GetFullPath(configFile))!;
        if (!Directory.Exists(sshFolder)) Directory.CreateDirectory(sshFolder, PrivateFolder);
        var config = await new SshAccess(session, clock).PrepareAsync(FolderFor(configFile), "kubes ssh-config", cancellationToken);
        var block = SshConfigBlock.Render(cluster, config.HostEntries());
        var existing = File.Exists(configFile) ? await File.ReadAllTextAsync(configFile, cancellationToken) : "";
        var updated = SshConfigBlock.Write(existing, cluster, block);
        // An existing file keeps its mode; a new one is the operator's alone, as ssh wants it.
        var mode = File.Exists(configFile) ? File.GetUnixFileMode(configFile) : UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (updated != existing) PrivateFiles.Write(configFile, updated, mode);
        return new SshConfigWritten(configFile, FolderFor(configFile), config.Hosts.Select(config.AliasOf).ToList(), config.ValidUntil);
    }

    /// <returns>Whether there was a block (or a folder) to remove.</returns>
    public async Task<bool> RemoveAsync(string configFile, CancellationToken cancellationToken)
    {
        var cluster = session.Topology.Spec.Name;
        var removed = false;
        if (File.Exists(configFile))
        {
            var existing = await File.ReadAllTextAsync(configFile, cancellationToken);
            var updated = SshConfigBlock.Remove(existing, cluster);
            if (updated != existing)
            {
                PrivateFiles.Write(configFile, updated, File.GetUnixFileMode(configFile));
                removed = true;
            }
        }
        var folder = FolderFor(configFile);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
            removed = true;
        }
        return removed;
    }
}
