namespace Kubes.Controller.State;

/// <summary>The state store could not be read or written; the message says where and what to do.</summary>
public class StateStoreException : Exception
{
    public StateStoreException(string message, Exception? innerException = null) : base(message, innerException)
    {
    }
}

/// <summary>A conditional write lost: the object changed (or appeared) since it was read.</summary>
public sealed class StateConflictException : StateStoreException
{
    public StateConflictException(string key, string location)
        : base($"'{key}' in the state store {location} was changed by another writer; read it again and retry.")
    {
        Key = key;
    }

    public string Key { get; }
}

/// <summary>An object is larger than its reader accepts; it was not read.</summary>
public sealed class StateObjectTooLargeException : StateStoreException
{
    public StateObjectTooLargeException(string key, string location, long size, int maxBytes)
        : base($"'{key}' in the state store {location} is {size} bytes; at most {maxBytes} are accepted")
    {
        Key = key;
        Size = size;
        MaxBytes = maxBytes;
    }

    public string Key { get; }

    /// <summary>The stored size, or the bytes seen so far when the object grew while it was read.</summary>
    public long Size { get; }

    public int MaxBytes { get; }
}

/// <summary>
/// A name in the folder state store is not what the store keeps there (a link, a named pipe, a device, ...). The store
/// never follows or opens such a name; it removes it.
/// </summary>
public sealed class UnservableEntryException : StateStoreException
{
    public UnservableEntryException(string path, Folder.EntryKind kind, Folder.EntryKind expected, bool removed = false)
        : base($"{path} is {Folder.EntryKinds.Describe(kind)}, not {Folder.EntryKinds.Describe(expected)}: the state store does " +
               $"not follow or open it{(removed ? "; it was removed" : "")}")
    {
        Path = path;
        Kind = kind;
        Expected = expected;
    }

    public string Path { get; }
    public Folder.EntryKind Kind { get; }
    public Folder.EntryKind Expected { get; }
}
