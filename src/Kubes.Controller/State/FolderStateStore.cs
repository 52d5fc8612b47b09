using System.Security.Cryptography;

namespace Kubes.Controller.State;

/// <summary>
/// The state store as a folder (the local provider's default). Each write goes to a temporary file
/// in the target's folder and is renamed over it, so readers see the old or the new object, never a
/// part. Conditional writes (put-if-absent, put-if-version) take an exclusive lock on
/// <c>&lt;root&gt;/.lock</c>, which serialises them across threads and processes on this machine.
/// Files are 0600 and folders 0700: the store holds hashes of secrets and the mailbox.
/// </summary>
public sealed class FolderStateStore : IStateStore
{
    private const UnixFileMode FolderPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly string _root;

    public FolderStateStore(string root)
    {
        _root = Path.GetFullPath(root);
        try
        {
            CreatePrivateDirectory(_root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StateStoreException(
                $"Cannot create the state folder {_root}: {e.Message}. Pick a writable folder with --state-store.", e);
        }
    }

    public string Location => _root;

    public async Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        try
        {
            var content = await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
            return new StoredObject(content, VersionOf(content));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task<StoredObject?> GetAsync(string key, int maxBytes, CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        try
        {
            await using var stream = new FileStream(PathOf(key), System.IO.FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > maxBytes) throw new StateObjectTooLargeException(key, Location, stream.Length, maxBytes);
            var content = await BoundedRead.ReadAsync(stream, maxBytes, cancellationToken)
                ?? throw new StateObjectTooLargeException(key, Location, maxBytes + 1L, maxBytes);
            return new StoredObject(content, VersionOf(content));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, string? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        var path = PathOf(key);
        var temporary = await WriteTemporaryAsync(path, content, cancellationToken);
        try
        {
            if (expectedVersion is null)
            {
                File.Move(temporary, path, overwrite: true);
            }
            else
            {
                using var _ = await LockAsync(cancellationToken);
                var current = await GetAsync(key, cancellationToken);
                if (current is null || current.Version != expectedVersion) throw new StateConflictException(key, Location);
                File.Move(temporary, path, overwrite: true);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
        return VersionOf(content.Span);
    }

    public async Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        var path = PathOf(key);
        var temporary = await WriteTemporaryAsync(path, content, cancellationToken);
        try
        {
            using var _ = await LockAsync(cancellationToken);
            if (File.Exists(path)) return false;
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        StateKey.CheckPrefix(prefix);
        var lastSlash = prefix.LastIndexOf('/');
        var folder = lastSlash < 0 ? _root : Path.Combine(_root, prefix[..lastSlash]);
        if (!Directory.Exists(folder)) return Task.FromResult<IReadOnlyList<string>>([]);

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 };
        var keys = Directory.EnumerateFiles(folder, "*", options)
            .Select(file => Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(key => key.StartsWith(prefix, StringComparison.Ordinal) && StateKey.IsValid(key))
            .Order(StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<string>>(keys);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        try
        {
            File.Delete(PathOf(key));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing to delete.
        }
        return Task.CompletedTask;
    }

    /// <summary>Creates the folder and every missing parent as 0700 (the mode overload sets only the last one).</summary>
    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        var parent = Path.GetDirectoryName(path);
        if (parent is not null) CreatePrivateDirectory(parent);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, FolderPermissions);
    }

    private string PathOf(string key) => Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));

    private static string VersionOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static async Task<string> WriteTemporaryAsync(string path, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path)!;
        CreatePrivateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FilePermissions;
        await using var stream = new FileStream(temporary, options);
        await stream.WriteAsync(content, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        stream.Flush(flushToDisk: true);
        return temporary;
    }

    /// <summary>
    /// An exclusive lock on the store's lock file. .NET takes flock(LOCK_EX|LOCK_NB) for
    /// FileShare.None, which conflicts between open handles even inside one process; we poll.
    /// </summary>
    private async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(_root, ".lock");
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FilePermissions;
        var waited = TimeSpan.Zero;
        var pause = TimeSpan.FromMilliseconds(2);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (waited < LockTimeout)
            {
                await Task.Delay(pause, cancellationToken);
                waited += pause;
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 50));
            }
            catch (IOException e)
            {
                throw new StateStoreException(
                    $"The state folder {_root} stayed locked for {LockTimeout.TotalSeconds:0} s ({lockPath}). " +
                    "Another kubes process may be stuck; stop it and retry.", e);
            }
        }
    }
}
