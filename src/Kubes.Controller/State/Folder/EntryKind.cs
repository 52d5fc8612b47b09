namespace Kubes.Controller.State.Folder;

/// <summary>What a name in the state folder is, seen without following it.</summary>
public enum EntryKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,
    NamedPipe,
    Socket,
    Device,
}

/// <summary>A name's kind and what changes when it is rewritten: its inode (every write renames a new file in), size and time.</summary>
internal sealed record EntryInfo(EntryKind Kind, ulong Inode, long Size, DateTimeOffset ModifiedAt, uint ModifiedNanoseconds)
{
    public static readonly EntryInfo Missing = new(EntryKind.Missing, 0, 0, DateTimeOffset.MinValue, 0);

    public string Tag => $"{Inode:x}-{Size}-{ModifiedAt.ToUnixTimeSeconds()}.{ModifiedNanoseconds:D9}";
}

internal static class EntryKinds
{
    private const int TypeMask = 0xF000;

    public static EntryKind FromMode(int mode) => (mode & TypeMask) switch
    {
        0x8000 => EntryKind.RegularFile,
        0x4000 => EntryKind.Directory,
        0xA000 => EntryKind.SymbolicLink,
        0x1000 => EntryKind.NamedPipe,
        0xC000 => EntryKind.Socket,
        _ => EntryKind.Device,
    };

    public static string Describe(this EntryKind kind) => kind switch
    {
        EntryKind.SymbolicLink => "a symbolic link",
        EntryKind.NamedPipe => "a named pipe",
        EntryKind.Socket => "a socket",
        EntryKind.Device => "a device file",
        EntryKind.Directory => "a folder",
        EntryKind.RegularFile => "a regular file",
        _ => "missing",
    };
}
