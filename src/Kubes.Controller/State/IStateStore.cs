namespace Kubes.Controller.State;

/// <summary>
/// The coordinator's durable memory: byte blobs under slash-separated keys (join tokens, agent
/// records, the mailbox, agent status). Backed by a folder for the local provider and by the
/// cluster's S3 bucket on AWS; both give the same guarantees, so every caller works over either.
/// </summary>
public interface IStateStore
{
    /// <summary>Where the store lives, for messages: a folder path or s3://bucket/prefix.</summary>
    string Location { get; }

    /// <summary>The object and its version, or null when the key holds nothing.</summary>
    Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="GetAsync(string, CancellationToken)"/> for objects others may write (the
    /// mailbox): an object over <paramref name="maxBytes"/> is refused with
    /// <see cref="StateObjectTooLargeException"/> by its stored size, and never more than
    /// <paramref name="maxBytes"/> + 1 of its bytes are read.
    /// </summary>
    Task<StoredObject?> GetAsync(string key, int maxBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the object and returns its new version. With <paramref name="expectedVersion"/>, the
    /// write happens only if the object still has that version; otherwise it throws
    /// <see cref="StateConflictException"/> and changes nothing.
    /// </summary>
    Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, string? expectedVersion = null,
        CancellationToken cancellationToken = default);

    /// <summary>Writes the object only if the key holds nothing; false when another writer was first.</summary>
    Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Every key that starts with <paramref name="prefix"/>, in ordinal order.</summary>
    Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>
    /// Like <see cref="ListAsync"/>, with what tells each object's versions apart and when it was last written, from the
    /// listing alone (S3: one ListObjectsV2 call per 1,000 keys; no object is read). A reader that remembers the tags
    /// reads again only what changed.
    /// </summary>
    Task<IReadOnlyList<StoredEntry>> ListEntriesAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Removes the object; removing a missing key is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}

/// <summary>
/// An object's bytes and an opaque version for conditional writes. Like S3's ETag the version
/// follows the content: rewriting identical bytes keeps it.
/// </summary>
public sealed record StoredObject(byte[] Content, string Version);

/// <summary>A listed object: its key, a tag that changes whenever it is rewritten (S3's ETag; a file's inode, size
/// and modification time), and when it was last written.</summary>
public sealed record StoredEntry(string Key, string Tag, DateTimeOffset LastModified);
