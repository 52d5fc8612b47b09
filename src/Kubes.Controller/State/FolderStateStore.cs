using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kubes.Controller.State.Folder;
using Microsoft.Win32.SafeHandles;

namespace Kubes.Controller.State;

/// <summary>
/// The state store as a folder (the local provider's default). Each write goes to a temporary file in the target's
/// folder, flushed, then renamed over it (put-if-absent: hard-linked, which fails if the name exists), and the write
/// returns once the folder is flushed too: readers see the old or the new object, never a part, and nothing is
/// acknowledged before it is on disk. Put-if-version takes an exclusive lock on <c>&lt;root&gt;/.lock</c>, which
/// serialises it across threads and processes on this machine.
/// Every name is opened relative to its folder without following a link, and only regular files are read: a link,
/// a named pipe, a socket or a device found in the store is removed, never followed or opened (see
/// <see cref="FolderHandle"/>). Files are 0600 and folders 0700: the store holds hashes of secrets and the mailbox.
/// </summary>
public sealed class FolderStateStore : IStateStore
{
    private const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const string LockName = ".lock";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

    private readonly string _root;
    private readonly GroupedFolderSync _flushes = new();
    private readonly SemaphoreSlim _versionedWrites = new(1, 1);
    /// <summary>The folders this process is creating, until their parent is flushed: a writer that finds one waits for that.</summary>
    private readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _creating = new(StringComparer.Ordinal);
    private readonly Action<FolderHandle> _flushParent;

    public FolderStateStore(string root) : this(root, parent => parent.Sync())
    {
    }

    /// <param name="flushParent">Flushes the parent of a folder just created (tests hold it, to see who waits for it).</param>
    internal FolderStateStore(string root, Action<FolderHandle> flushParent)
    {
        _flushParent = flushParent;
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

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(key, maxBytes: null));

    public Task<StoredObject?> GetAsync(string key, int maxBytes, CancellationToken cancellationToken = default) =>
        Task.FromResult(Read(key, maxBytes));

    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, string? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        var (folders, name) = Split(key);
        using var folder = OpenFolders(folders, create: true)!;
        var temporary = WriteTemporary(folder, name, content.Span);
        try
        {
            if (expectedVersion is null)
            {
                folder.Rename(temporary, name);
            }
            else
            {
                using var _ = await LockAsync(cancellationToken);
                var current = ReadIn(folder, key, name, maxBytes: null);
                if (current is null || current.Version != expectedVersion) throw new StateConflictException(key, Location);
                folder.Rename(temporary, name);
            }
        }
        finally
        {
            folder.Remove(temporary);
        }
        await _flushes.FlushAsync(folder.Path, folder.Sync);
        return VersionOf(content.Span);
    }

    public async Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken = default)
    {
        var (folders, name) = Split(key);
        using var folder = OpenFolders(folders, create: true)!;
        var temporary = WriteTemporary(folder, name, content.Span);
        bool linked;
        try
        {
            // A name that is something else than a file (a planted link) does not count as present: it is removed.
            linked = folder.TryLink(temporary, name)
                     || (RemoveUnservable(folder, name, EntryKind.RegularFile) && folder.TryLink(temporary, name));
        }
        finally
        {
            folder.Remove(temporary);
        }
        if (linked) await _flushes.FlushAsync(folder.Path, folder.Sync);
        return linked;
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        [.. (await ListEntriesAsync(prefix, cancellationToken)).Select(entry => entry.Key)];

    public Task<IReadOnlyList<StoredEntry>> ListEntriesAsync(string prefix, CancellationToken cancellationToken = default)
    {
        StateKey.CheckPrefix(prefix);
        var lastSlash = prefix.LastIndexOf('/');
        var start = lastSlash < 0 ? "" : prefix[..lastSlash];
        var keys = new List<StoredEntry>();
        FolderHandle? folder;
        try
        {
            folder = OpenFolders(start.Length == 0 ? [] : start.Split('/'), create: false);
        }
        catch (UnservableEntryException)
        {
            return Task.FromResult<IReadOnlyList<StoredEntry>>([]);
        }
        if (folder is null) return Task.FromResult<IReadOnlyList<StoredEntry>>([]);
        using (folder) Collect(folder, start, prefix, keys);
        keys.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return Task.FromResult<IReadOnlyList<StoredEntry>>(keys);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var (folders, name) = Split(key);
        FolderHandle? folder;
        try
        {
            folder = OpenFolders(folders, create: false);
        }
        catch (UnservableEntryException)
        {
            return Task.CompletedTask; // the link in the way is gone, and nothing of the store was under it
        }
        using (folder) folder?.Remove(name);
        return Task.CompletedTask;
    }

    /// <summary>Every valid key under <paramref name="folderKey"/> that starts with <paramref name="prefix"/>; unservable names are removed.</summary>
    private static void Collect(FolderHandle folder, string folderKey, string prefix, List<StoredEntry> keys)
    {
        foreach (var name in folder.Names())
        {
            if (!StateKey.IsValidSegment(name)) continue; // temporary files and foreign names: not keys
            var key = folderKey.Length == 0 ? name : $"{folderKey}/{name}";
            if (!key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var entry = folder.Inspect(name);
            switch (entry.Kind)
            {
                case EntryKind.RegularFile:
                    if (StateKey.IsValid(key)) keys.Add(new StoredEntry(key, entry.Tag, entry.ModifiedAt));
                    break;
                case EntryKind.Directory:
                    FolderHandle? child;
                    try
                    {
                        child = folder.OpenFolder(name);
                    }
                    catch (UnservableEntryException)
                    {
                        RemoveUnservable(folder, name, EntryKind.Directory); // swapped for a link since it was looked at
                        break;
                    }
                    using (child)
                    {
                        if (child is not null) Collect(child, key, prefix, keys);
                    }
                    break;
                case EntryKind.Missing:
                    break;
                default:
                    folder.Remove(name);
                    break;
            }
        }
    }

    private StoredObject? Read(string key, int? maxBytes)
    {
        var (folders, name) = Split(key);
        using var folder = OpenFolders(folders, create: false);
        return folder is null ? null : ReadIn(folder, key, name, maxBytes);
    }

    private StoredObject? ReadIn(FolderHandle folder, string key, string name, int? maxBytes)
    {
        SafeFileHandle? file;
        try
        {
            file = folder.OpenFile(name);
        }
        catch (UnservableEntryException unservable)
        {
            RemoveUnservable(folder, name, EntryKind.RegularFile);
            throw new UnservableEntryException(unservable.Path, unservable.Kind, unservable.Expected, removed: true);
        }
        if (file is null) return null;
        using (file)
        {
            var length = RandomAccess.GetLength(file);
            var limit = maxBytes ?? int.MaxValue;
            if (length > limit) throw new StateObjectTooLargeException(key, Location, length, limit);
            var content = ReadAll(file, (int)length, limit)
                          ?? throw new StateObjectTooLargeException(key, Location, limit + 1L, limit);
            return new StoredObject(content, VersionOf(content));
        }
    }

    /// <summary>The file's bytes, or null when it grew past <paramref name="limit"/> while it was read.</summary>
    private static byte[]? ReadAll(SafeFileHandle file, int expected, int limit)
    {
        var buffer = new byte[Math.Min((long)expected + 1, (long)limit + 1)];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length > limit) return null;
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, limit + 1L));
            }
            var read = RandomAccess.Read(file, buffer.AsSpan(filled), filled);
            if (read == 0) return buffer[..filled];
            filled += read;
        }
    }

    /// <summary>
    /// Opens the key's folders from the root, one name at a time; with <paramref name="create"/> missing folders are
    /// made (0700) and a link in the way is removed and replaced by a folder. Null when a folder is missing.
    /// </summary>
    private FolderHandle? OpenFolders(IReadOnlyList<string> folders, bool create)
    {
        var current = FolderHandle.OpenRoot(_root);
        try
        {
            foreach (var name in folders)
            {
                FolderHandle? next;
                if (!create)
                {
                    try
                    {
                        next = current.OpenFolder(name);
                    }
                    catch (UnservableEntryException unservable)
                    {
                        RemoveUnservable(current, name, EntryKind.Directory);
                        throw new UnservableEntryException(unservable.Path, unservable.Kind, unservable.Expected, removed: true);
                    }
                    if (next is null)
                    {
                        current.Dispose();
                        return null;
                    }
                }
                else
                {
                    next = OpenOrCreate(current, name);
                }
                current.Dispose();
                current = next;
            }
            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The sub-folder, created when missing. A new folder's own name must be on disk before anything written into it is
    /// acknowledged: its creator flushes the parent, and a writer of this process that finds the folder while that flush
    /// runs waits for it (the creator announces itself before it creates the folder, so whoever sees the folder sees the
    /// announcement, until the flush is done).
    /// </summary>
    private FolderHandle OpenOrCreate(FolderHandle parent, string name)
    {
        var key = Path.Join(parent.Path, name);
        while (true)
        {
            if (OpenExisting(parent, name) is { } existing)
            {
                // Its creator's flush failed: this writer flushes the parent itself (and fails if it cannot).
                if (_creating.TryGetValue(key, out var pending) && !WaitFlushed(pending.Task)) FlushParentOf(existing, parent);
                return existing;
            }
            var creation = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var announced = _creating.GetOrAdd(key, creation);
            if (announced != creation)
            {
                // Another writer is creating it: once its parent is flushed, open it; if that failed, create or flush it here.
                if (WaitFlushed(announced.Task) && OpenExisting(parent, name) is { } created) return created;
                if (OpenExisting(parent, name) is { } unflushed) return FlushParentOf(unflushed, parent);
                continue;
            }
            var flushed = false;
            try
            {
                var folder = OpenOrCreateFolder(parent, name, out var created);
                if (created) FlushParentOf(folder, parent);
                flushed = true;
                return folder;
            }
            finally
            {
                _creating.TryRemove(KeyValuePair.Create(key, creation));
                creation.SetResult(flushed);
            }
        }
    }

    private static bool WaitFlushed(Task<bool> flushed) => flushed.GetAwaiter().GetResult();

    private FolderHandle FlushParentOf(FolderHandle folder, FolderHandle parent)
    {
        try
        {
            _flushParent(parent);
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private static FolderHandle? OpenExisting(FolderHandle parent, string name)
    {
        try
        {
            return parent.OpenFolder(name);
        }
        catch (UnservableEntryException)
        {
            return null; // replaced below, by the creating path
        }
    }

    private static FolderHandle OpenOrCreateFolder(FolderHandle parent, string name, out bool created)
    {
        try
        {
            return parent.OpenOrCreateFolder(name, out created);
        }
        catch (UnservableEntryException)
        {
            RemoveUnservable(parent, name, EntryKind.Directory);
            return parent.OpenOrCreateFolder(name, out created);
        }
    }

    /// <summary>Removes the name when it is neither a regular file nor a folder; true when it did.</summary>
    private static bool RemoveUnservable(FolderHandle folder, string name, EntryKind expected)
    {
        var kind = folder.KindOf(name);
        if (kind is EntryKind.Missing || kind == expected) return false;
        return kind == EntryKind.Directory ? folder.RemoveFolder(name) : folder.Remove(name);
    }

    private static string WriteTemporary(FolderHandle folder, string name, ReadOnlySpan<byte> content)
    {
        var temporary = $".{name}.{Guid.NewGuid():N}.tmp";
        folder.WriteNewFile(temporary, content, FilePermissions);
        return temporary;
    }

    private static (string[] Folders, string Name) Split(string key)
    {
        StateKey.Check(key);
        var segments = key.Split('/');
        return (segments[..^1], segments[^1]);
    }

    /// <summary>Creates the folder and every missing parent as 0700 (the mode overload sets only the last one).</summary>
    private static void CreatePrivateDirectory(string path)
    {
        if (Directory.Exists(path)) return;
        var parent = Path.GetDirectoryName(path);
        if (parent is not null) CreatePrivateDirectory(parent);
        Directory.CreateDirectory(path, FilePermissions | UnixFileMode.UserExecute);
    }

    private static string VersionOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>
    /// The store's lock for put-if-version: threads of this process queue on a semaphore, processes meet on an
    /// exclusive <c>flock</c> of <c>&lt;root&gt;/.lock</c> (opened without following a link), polled.
    /// </summary>
    private async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        if (!await _versionedWrites.WaitAsync(LockTimeout, cancellationToken)) throw Stuck(null);
        try
        {
            var root = FolderHandle.OpenRoot(_root);
            var waited = TimeSpan.Zero;
            var pause = TimeSpan.FromMilliseconds(1);
            while (true)
            {
                if (root.TryLock(LockName, FilePermissions) is { } taken)
                {
                    root.Dispose();
                    return new Release(taken, _versionedWrites);
                }
                if (waited >= LockTimeout)
                {
                    root.Dispose();
                    throw Stuck(Path.Join(_root, LockName));
                }
                await Task.Delay(pause, cancellationToken);
                waited += pause;
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 20));
            }
        }
        catch
        {
            _versionedWrites.Release();
            throw;
        }
    }

    private StateStoreException Stuck(string? lockPath) => new(
        $"The state folder {_root} stayed locked for {LockTimeout.TotalSeconds:0} s{(lockPath is null ? "" : $" ({lockPath})")}. " +
        "Another kubes process may be stuck; stop it and retry.");

    private sealed class Release(IDisposable taken, SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose()
        {
            taken.Dispose();
            semaphore.Release();
        }
    }
}
