using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using static Kubes.Controller.State.Folder.LinuxFileCalls;

namespace Kubes.Controller.State.Folder;

/// <summary>
/// An open folder of the state store, reached from the root one name at a time without following a link. Every
/// name below it is opened relative to it, again without following a link, so a link planted anywhere in the store
/// cannot send a read or a write outside it, and a named pipe or a device is never opened for reading (which could
/// block). What is found instead of a regular file or a folder is reported as <see cref="UnservableEntryException"/>.
/// </summary>
internal sealed class FolderHandle : IDisposable
{
    private const int PrivateFolder = 0b111_000_000;

    private int _descriptor;

    private FolderHandle(int descriptor, string path)
    {
        _descriptor = descriptor;
        Path = path;
    }

    /// <summary>The folder's path, for messages.</summary>
    public string Path { get; }

    public int Descriptor => _descriptor >= 0 ? _descriptor : throw new ObjectDisposedException(Path);

    /// <summary>The store's root, as the operator named it (links the operator made to reach it are followed).</summary>
    public static FolderHandle OpenRoot(string path)
    {
        var descriptor = Retry(() => OpenAt(AtFdCwd, path, ReadOnly | DirectoryOnly | CloseOnExec, 0));
        if (descriptor < 0) throw Failure("open the folder", path, LastError);
        return new FolderHandle(descriptor, path);
    }

    /// <summary>The sub-folder, or null when the name holds nothing.</summary>
    /// <exception cref="UnservableEntryException">The name is a link, a file or anything else but a folder.</exception>
    public FolderHandle? OpenFolder(string name)
    {
        var descriptor = Retry(() => OpenAt(Descriptor, name, ReadOnly | DirectoryOnly | NoFollow | CloseOnExec, 0));
        if (descriptor >= 0) return new FolderHandle(descriptor, Child(name));
        var error = LastError;
        if (error == ENOENT) return null;
        if (error is ELOOP or ENOTDIR) throw new UnservableEntryException(Child(name), KindOf(name), EntryKind.Directory);
        throw Failure("open the folder", Child(name), error);
    }

    /// <summary>The sub-folder, created 0700 when missing; <paramref name="created"/> says whether it was.</summary>
    public FolderHandle OpenOrCreateFolder(string name, out bool created)
    {
        created = false;
        for (var attempt = 0; ; attempt++)
        {
            if (OpenFolder(name) is { } folder) return folder;
            if (MakeDirectoryAt(Descriptor, name, PrivateFolder) == 0)
            {
                created = true;
                continue;
            }
            var error = LastError;
            if (error != EEXIST || attempt > 3) throw Failure("create the folder", Child(name), error);
        }
    }

    /// <summary>The regular file's handle for reading, or null when the name holds nothing.</summary>
    /// <exception cref="UnservableEntryException">The name is a link, a named pipe, a device, a socket or a folder.</exception>
    public SafeFileHandle? OpenFile(string name)
    {
        // O_NONBLOCK: opening a named pipe for reading returns at once instead of waiting for a writer.
        var descriptor = Retry(() => OpenAt(Descriptor, name, ReadOnly | NoFollow | NonBlocking | CloseOnExec, 0));
        if (descriptor < 0)
        {
            var error = LastError;
            if (error == ENOENT) return null;
            if (error == ELOOP) throw new UnservableEntryException(Child(name), EntryKind.SymbolicLink, EntryKind.RegularFile);
            throw Failure("open", Child(name), error);
        }
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        var kind = KindOf(descriptor);
        if (kind == EntryKind.RegularFile) return handle;
        handle.Dispose();
        throw new UnservableEntryException(Child(name), kind, EntryKind.RegularFile);
    }

    /// <summary>Creates the file, which must not exist (not even as a link), with the given content, flushed to disk.</summary>
    public void WriteNewFile(string name, ReadOnlySpan<byte> content, UnixFileMode mode)
    {
        var descriptor = Retry(() => OpenAt(Descriptor, name, WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, (int)mode));
        if (descriptor < 0) throw Failure("create", Child(name), LastError);
        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        RandomAccess.Write(handle, content, 0);
        if (FileSync(descriptor) != 0) throw Failure("flush", Child(name), LastError);
    }

    /// <summary>Moves <paramref name="from"/> over <paramref name="to"/>; a link at <paramref name="to"/> is replaced, not followed.</summary>
    public void Rename(string from, string to)
    {
        if (RenameAt(Descriptor, from, Descriptor, to) != 0) throw Failure("rename", Child(from), LastError);
    }

    /// <summary>Gives <paramref name="from"/>'s file the name <paramref name="to"/> too, unless that name exists: false then.</summary>
    public bool TryLink(string from, string to)
    {
        if (LinkAt(Descriptor, from, Descriptor, to, 0) == 0) return true;
        var error = LastError;
        if (error == EEXIST) return false;
        throw Failure("link", Child(to), error);
    }

    /// <summary>Removes the name (a link itself, never what it points to); false when it held nothing.</summary>
    public bool Remove(string name)
    {
        if (UnlinkAt(Descriptor, name, 0) == 0) return true;
        var error = LastError;
        if (error == ENOENT) return false;
        throw Failure("remove", Child(name), error);
    }

    /// <summary>Removes an empty folder; false when it is missing or not empty.</summary>
    public bool RemoveFolder(string name) => UnlinkAt(Descriptor, name, AtRemoveDirectory) == 0;

    /// <summary>What the name is, without following it.</summary>
    public EntryKind KindOf(string name) => Inspect(name).Kind;

    /// <summary>What the name is, its inode, size and modification time, without following it.</summary>
    public EntryInfo Inspect(string name) => Stat(Descriptor, name, AtSymlinkNoFollow);

    /// <summary>The names in this folder, "." and ".." left out.</summary>
    public IReadOnlyList<string> Names()
    {
        // The open descriptor's own entry in /proc lists exactly this folder, whatever its path has become since.
        try
        {
            return System.IO.Directory.EnumerateFileSystemEntries($"/proc/self/fd/{Descriptor}")
                .Select(entry => System.IO.Path.GetFileName(entry)).ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    /// <summary>
    /// An exclusive <c>flock</c> on the file <paramref name="name"/> (created when missing, a link in its place removed),
    /// or null when another holder has it; disposing releases it.
    /// </summary>
    public IDisposable? TryLock(string name, UnixFileMode mode)
    {
        var descriptor = Retry(() => OpenAt(Descriptor, name, ReadWrite | Create | NoFollow | CloseOnExec, (int)mode));
        if (descriptor < 0)
        {
            var error = LastError;
            if (error != ELOOP) throw Failure("open the lock file", Child(name), error);
            Remove(name);
            return null;
        }
        var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        if (Flock(descriptor, LockExclusive | LockNonBlocking) == 0) return handle; // closing the file releases the lock
        var lockError = LastError;
        handle.Dispose();
        return lockError == EWOULDBLOCK ? null : throw Failure("lock", Child(name), lockError);
    }

    /// <summary>Flushes the folder's entries (creations, renames) to disk.</summary>
    public void Sync()
    {
        if (FileSync(Descriptor) != 0) throw Failure("flush the folder", Path, LastError);
    }

    public void Dispose()
    {
        var descriptor = Interlocked.Exchange(ref _descriptor, -1);
        if (descriptor >= 0) Close(descriptor);
    }

    private const int AtRemoveDirectory = 0x200;

    private string Child(string name) => System.IO.Path.Join(Path, name);

    private static EntryKind KindOf(int descriptor) => Stat(descriptor, "", AtEmptyPath).Kind;

    private static EntryInfo Stat(int directory, string name, int flags)
    {
        var buffer = new byte[StatxBufferSize];
        if (Statx(directory, name, flags, StatxType | StatxInode | StatxSize | StatxModified, buffer) != 0)
        {
            var error = LastError;
            return error == ENOENT ? EntryInfo.Missing : throw Failure("inspect", name, error);
        }
        var seconds = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(StatxModifiedOffset));
        var nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(StatxModifiedOffset + 8));
        return new EntryInfo(EntryKinds.FromMode(BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(StatxModeOffset))),
            BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(StatxInodeOffset)), BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(StatxSizeOffset)),
            DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanoseconds / 100), nanoseconds);
    }

    private static int Retry(Func<int> call)
    {
        while (true)
        {
            var result = call();
            if (result >= 0 || LastError != EINTR) return result;
        }
    }

    private static IOException Failure(string action, string path, int error) =>
        new($"Cannot {action} {path}: {Marshal.GetPInvokeErrorMessage(error)}.");
}
