using System.Threading.Channels;
using Kubes.Protos.V1;

namespace Kubes.Controller.Status;

/// <summary>
/// The coordinator's live view of its agents: the latest status per instance, persisted through
/// <see cref="AgentStatusStore"/>, and watchers that get one snapshot and then every change.
/// A watcher's snapshot and its first delta come from under one lock, so none is lost or repeated.
/// Each watcher has a bounded backlog: one that lets it fill up is dropped (its events end with
/// <see cref="WatcherFellBehindException"/>), so a stalled client never grows the coordinator's memory.
/// A slot has one status: the instance that joins a slot last takes it over, and the replaced instance's status
/// is removed. Writes of different slots go to the store concurrently (each is acknowledged once durable); writes
/// of one slot are ordered.
/// </summary>
public sealed class StatusHub
{
    public const int DefaultWatcherBacklog = 1024;
    private const int WriteStripes = 64;

    private readonly AgentStatusStore _store;
    private readonly int _watcherBacklog;
    private readonly Dictionary<string, AgentStatus> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _holders = new(StringComparer.Ordinal);
    private readonly List<Channel<WatchEvent>> _watchers = [];
    private readonly SemaphoreSlim[] _writes = [.. Enumerable.Range(0, WriteStripes).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly SemaphoreSlim _refreshes = new(1, 1);
    private readonly Dictionary<string, long> _writtenAt = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _writeCount;

    /// <param name="watcherBacklog">Events a watcher may have unread (its snapshot included) before it is dropped.</param>
    public StatusHub(AgentStatusStore store, int watcherBacklog = DefaultWatcherBacklog)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(watcherBacklog, 1);
        _store = store;
        _watcherBacklog = watcherBacklog;
    }

    /// <summary>A hub that starts from what the state store already holds.</summary>
    public static async Task<StatusHub> LoadAsync(AgentStatusStore store, CancellationToken cancellationToken = default)
    {
        var hub = new StatusHub(store);
        await hub.RefreshAsync(cancellationToken);
        return hub;
    }

    public IReadOnlyList<AgentStatus> Snapshot()
    {
        lock (_lock) return SnapshotUnderLock().Agents.ToList();
    }

    /// <summary>Stores the agent's status and tells every watcher.</summary>
    public async Task PublishAsync(AgentStatus status, CancellationToken cancellationToken = default)
    {
        using var _ = await WriteLockAsync(status.Name, cancellationToken);
        await PutAsync(status, cancellationToken);
    }

    /// <summary>
    /// The status of an instance that has just joined its slot: it takes the slot over, and any other instance's
    /// status under the same name (the instance it replaces) is removed.
    /// </summary>
    public async Task PublishJoinAsync(AgentStatus status, CancellationToken cancellationToken = default)
    {
        using var _ = await WriteLockAsync(status.Name, cancellationToken);
        await PutAsync(status, cancellationToken);
        foreach (var replaced in HoldersOf(status.Name).Where(id => id != status.InstanceId))
        {
            await _store.DeleteAsync(replaced, cancellationToken);
            Written(replaced);
            Apply(replaced, null);
        }
    }

    /// <summary>
    /// A report: stored unless another instance has joined the slot since (the reporter was replaced); false then.
    /// </summary>
    public async Task<bool> PublishReportAsync(AgentStatus status, CancellationToken cancellationToken = default)
    {
        using var _ = await WriteLockAsync(status.Name, cancellationToken);
        if (HoldersOf(status.Name).Any(id => id != status.InstanceId)) return false;
        await PutAsync(status, cancellationToken);
        return true;
    }

    /// <summary>The instance holding the slot <paramref name="name"/> now, if any.</summary>
    public string? HolderOf(string name) => HoldersOf(name).FirstOrDefault();

    /// <summary>Whether another instance than <paramref name="instanceId"/> has joined the slot <paramref name="name"/>.</summary>
    public bool IsHeldByAnother(string name, string instanceId) => HoldersOf(name).Any(id => id != instanceId);

    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        string name;
        lock (_lock) name = _agents.TryGetValue(instanceId, out var known) ? known.Name : instanceId;
        using var _ = await WriteLockAsync(name, cancellationToken);
        await _store.DeleteAsync(instanceId, cancellationToken);
        Written(instanceId);
        Apply(instanceId, null);
    }

    /// <summary>
    /// Reads the state store again and publishes what other coordinator processes changed (another
    /// process may be answering the mailbox while this one serves watchers). An instance this process
    /// wrote while the store was being read keeps what this process wrote.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshes.WaitAsync(cancellationToken);
        try
        {
            long before;
            lock (_lock) before = _writeCount;
            var stored = (await _store.ListAsync(cancellationToken)).ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
            lock (_lock)
            {
                bool Untouched(string id) => _writtenAt.GetValueOrDefault(id) <= before;
                foreach (var gone in _agents.Keys.Where(id => !stored.ContainsKey(id) && Untouched(id)).ToList()) Apply(gone, null);
                foreach (var status in stored.Values.Where(s => Untouched(s.InstanceId))) Apply(status.InstanceId, status);
                foreach (var id in _writtenAt.Where(w => w.Value <= before).Select(w => w.Key).ToList()) _writtenAt.Remove(id);
            }
        }
        finally
        {
            _refreshes.Release();
        }
    }

    /// <summary>
    /// A watch: first a snapshot event, then an upsert or delete per change, until disposed, or until the
    /// watcher falls a whole backlog behind.
    /// </summary>
    public StatusSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<WatchEvent>(new BoundedChannelOptions(_watcherBacklog) { SingleReader = true });
        lock (_lock)
        {
            channel.Writer.TryWrite(new WatchEvent { Snapshot = SnapshotUnderLock() });
            _watchers.Add(channel);
        }
        return new StatusSubscription(channel.Reader, () =>
        {
            lock (_lock) _watchers.Remove(channel);
            channel.Writer.TryComplete();
        });
    }

    private async Task PutAsync(AgentStatus status, CancellationToken cancellationToken)
    {
        await _store.PutAsync(status, cancellationToken);
        // Marked once stored: a refresh that read the store before this write landed must not apply what it read.
        Written(status.InstanceId);
        Apply(status.InstanceId, status.Clone());
    }

    private void Written(string instanceId)
    {
        lock (_lock) _writtenAt[instanceId] = ++_writeCount;
    }

    private List<string> HoldersOf(string name)
    {
        lock (_lock) return _holders.TryGetValue(name, out var holders) ? [.. holders] : [];
    }

    /// <summary>Keeps the slot name → instances index in step with <see cref="_agents"/>; called under the lock.</summary>
    private void Index(AgentStatus? before, AgentStatus? after)
    {
        if (before is not null && _holders.TryGetValue(before.Name, out var old))
        {
            old.Remove(before.InstanceId);
            if (old.Count == 0) _holders.Remove(before.Name);
        }
        if (after is null) return;
        if (!_holders.TryGetValue(after.Name, out var current)) _holders[after.Name] = current = new HashSet<string>(StringComparer.Ordinal);
        current.Add(after.InstanceId);
    }

    private async Task<IDisposable> WriteLockAsync(string name, CancellationToken cancellationToken)
    {
        var stripe = _writes[(int)((uint)StringComparer.Ordinal.GetHashCode(name) % WriteStripes)];
        await stripe.WaitAsync(cancellationToken);
        return new Releaser(stripe);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }

    private void Apply(string instanceId, AgentStatus? status)
    {
        lock (_lock)
        {
            WatchEvent change;
            if (status is null)
            {
                if (!_agents.Remove(instanceId, out var removed)) return;
                Index(removed, null);
                change = new WatchEvent { DeletedInstanceId = instanceId };
            }
            else
            {
                if (_agents.TryGetValue(instanceId, out var current) && current.Equals(status)) return;
                _agents[instanceId] = status;
                Index(current, status);
                change = new WatchEvent { Upsert = status.Clone() };
            }
            foreach (var watcher in _watchers.Where(w => !w.Writer.TryWrite(change)).ToList())
            {
                _watchers.Remove(watcher);
                watcher.Writer.TryComplete(new WatcherFellBehindException(_watcherBacklog));
            }
        }
    }

    private AgentSnapshot SnapshotUnderLock()
    {
        var snapshot = new AgentSnapshot();
        snapshot.Agents.AddRange(_agents.Values.OrderBy(a => a.InstanceId, StringComparer.Ordinal).Select(a => a.Clone()));
        return snapshot;
    }
}

/// <summary>One watcher's events; dispose to stop watching.</summary>
public sealed class StatusSubscription : IDisposable
{
    private readonly Action _unsubscribe;
    private int _disposed;

    internal StatusSubscription(ChannelReader<WatchEvent> events, Action unsubscribe)
    {
        Events = events;
        _unsubscribe = unsubscribe;
    }

    public ChannelReader<WatchEvent> Events { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _unsubscribe();
    }
}

/// <summary>A watcher let its backlog fill up and was dropped; it has to watch again for a fresh snapshot.</summary>
public sealed class WatcherFellBehindException(int backlog)
    : Exception($"the watcher fell {backlog} events behind and was dropped; watch again for a fresh snapshot");
