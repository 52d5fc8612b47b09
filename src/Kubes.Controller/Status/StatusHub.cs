using System.Threading.Channels;
using Kubes.Protos.V1;

namespace Kubes.Controller.Status;

/// <summary>
/// The coordinator's live view of its agents: the latest status per instance, persisted through
/// <see cref="AgentStatusStore"/>, and watchers that get one snapshot and then every change.
/// A watcher's snapshot and its first delta come from under one lock, so none is lost or repeated.
/// Each watcher has a bounded backlog: one that lets it fill up is dropped (its events end with
/// <see cref="WatcherFellBehindException"/>), so a stalled client never grows the coordinator's memory.
/// </summary>
public sealed class StatusHub
{
    public const int DefaultWatcherBacklog = 1024;

    private readonly AgentStatusStore _store;
    private readonly int _watcherBacklog;
    private readonly Dictionary<string, AgentStatus> _agents = new(StringComparer.Ordinal);
    private readonly List<Channel<WatchEvent>> _watchers = [];
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Lock _lock = new();

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
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await _store.PutAsync(status, cancellationToken);
            Apply(status.InstanceId, status.Clone());
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await _store.DeleteAsync(instanceId, cancellationToken);
            Apply(instanceId, null);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// Reads the state store again and publishes what other coordinator processes changed (another
    /// process may be answering the mailbox while this one serves watchers).
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var stored = (await _store.ListAsync(cancellationToken)).ToDictionary(s => s.InstanceId, StringComparer.Ordinal);
            List<string> known;
            lock (_lock) known = [.. _agents.Keys];
            foreach (var gone in known.Where(id => !stored.ContainsKey(id))) Apply(gone, null);
            foreach (var status in stored.Values) Apply(status.InstanceId, status);
        }
        finally
        {
            _writes.Release();
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

    private void Apply(string instanceId, AgentStatus? status)
    {
        lock (_lock)
        {
            WatchEvent change;
            if (status is null)
            {
                if (!_agents.Remove(instanceId)) return;
                change = new WatchEvent { DeletedInstanceId = instanceId };
            }
            else
            {
                if (_agents.TryGetValue(instanceId, out var current) && current.Equals(status)) return;
                _agents[instanceId] = status;
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
