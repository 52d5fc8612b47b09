namespace Kubes.Controller.Pki.Store;

/// <summary>
/// The PKI in a folder of the operator's machine: the folder is 0700, every file 0600, private keys encrypted.
/// Files are written under a temporary name and renamed, so an interrupted save leaves no half-written key.
/// </summary>
public sealed class FolderCaKeyStore(string folder, CaPassphrase passphrase) : ICaKeyStore
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Folder { get; } = Path.GetFullPath(folder);

    public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(PkiFileSet.FileNames.Any(name => File.Exists(Path.Combine(Folder, name))));

    public async Task<IReadOnlyList<string>> SaveAsync(ClusterPki pki, CancellationToken cancellationToken = default)
    {
        if (await ExistsAsync(cancellationToken))
            throw new PkiStoreException(
                $"{Folder} already holds a Kubes PKI; it is never overwritten, because every certificate of its "
                + "cluster depends on it. Choose another folder.");
        try
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Folder);
            else
            {
                Directory.CreateDirectory(Folder, FolderMode);
                File.SetUnixFileMode(Folder, FolderMode);
            }

            var written = new List<string>();
            foreach (var (name, text) in PkiFileSet.Export(pki, passphrase))
            {
                var path = Path.Combine(Folder, name);
                await WritePrivateFileAsync(path, text, cancellationToken);
                written.Add(path);
            }
            return written;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PkiStoreException($"cannot write the PKI to {Folder}: {e.Message}", e);
        }
    }

    public Task<ClusterPki> LoadAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(Folder))
            throw new PkiStoreException(
                $"{Folder} does not exist. Point at the folder 'kubes pki init --out' wrote, or create the PKI with it.");
        return PkiFileSet.ImportAsync(ReadAsync, passphrase, Folder, cancellationToken);
    }

    private async Task<string?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, name);
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PkiStoreException($"cannot read {path}: {e.Message}", e);
        }
    }

    private static async Task WritePrivateFileAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        try
        {
            await using (var stream = new FileStream(temporary, options))
            await using (var writer = new StreamWriter(stream))
            {
                await writer.WriteAsync(text.AsMemory(), cancellationToken);
                await writer.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: false);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
