using System.Runtime.InteropServices;

namespace Kubes.Controller.State.Folder;

/// <summary>
/// The libc calls the folder state store makes relative to an open directory, so no path is ever resolved through
/// a link: .NET's file API follows links and opens whatever a name points to (a named pipe blocks the open).
/// Flags differ between architectures; <c>statx</c> has one layout everywhere.
/// </summary>
internal static class LinuxFileCalls
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtEmptyPath = 0x1000;
    public const int StatxType = 0x1;
    public const int StatxModified = 0x40;
    public const int StatxInode = 0x100;
    public const int StatxSize = 0x200;

    public const int ReadOnly = 0x0;
    public const int WriteOnly = 0x1;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;
    public static readonly int DirectoryOnly = IsArm ? 0x4000 : 0x10000;
    public static readonly int NoFollow = IsArm ? 0x8000 : 0x20000;

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int ELOOP = 40;

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    [DllImport("libc", EntryPoint = "openat", SetLastError = true)]
    public static extern int OpenAt(int directory, string name, int flags, int mode);

    [DllImport("libc", EntryPoint = "mkdirat", SetLastError = true)]
    public static extern int MakeDirectoryAt(int directory, string name, int mode);

    [DllImport("libc", EntryPoint = "renameat", SetLastError = true)]
    public static extern int RenameAt(int fromDirectory, string from, int toDirectory, string to);

    [DllImport("libc", EntryPoint = "linkat", SetLastError = true)]
    public static extern int LinkAt(int fromDirectory, string from, int toDirectory, string to, int flags);

    [DllImport("libc", EntryPoint = "unlinkat", SetLastError = true)]
    public static extern int UnlinkAt(int directory, string name, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int FileSync(int descriptor);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int descriptor);

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    public static extern int Statx(int directory, string name, int flags, int mask, [Out] byte[] buffer);

    /// <summary>Size of <c>struct statx</c>: <c>stx_mode</c> (16 bits) at 28, <c>stx_ino</c> at 32, <c>stx_size</c> at 40,
    /// <c>stx_mtime</c> (64-bit seconds, 32-bit nanoseconds) at 112.</summary>
    public const int StatxBufferSize = 256;
    public const int StatxModeOffset = 28;
    public const int StatxInodeOffset = 32;
    public const int StatxSizeOffset = 40;
    public const int StatxModifiedOffset = 112;

    [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static extern int Flock(int descriptor, int operation);

    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;
    public const int ReadWrite = 0x2;
    public const int EWOULDBLOCK = 11;

    public static int LastError => Marshal.GetLastPInvokeError();
}
