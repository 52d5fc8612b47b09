using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.State;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Status;

public sealed class StatusHubTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly AgentStatusStore _store;
    private readonly StatusHub _hub;

    public StatusHubTests()
    {
        _store = new AgentStatusStore(new FolderStateStore(_folder.Path));
        _hub = new StatusHub(_store);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>A status of instance <paramref name="id"/>, in a slot of its own unless <paramref name="slot"/> names one.</summary>
    private static AgentStatus Agent(string id, Phase phase, string? slot = null) => new()
    {
        InstanceId = id,
        Role = Role.Node,
        Name = slot ?? $"node-{id}",
        LastReport = new AgentReport { Phase = phase },
    };

    private static List<WatchEvent> Drain(StatusSubscription subscription)
    {
        var events = new List<WatchEvent>();
        while (subscription.Events.TryRead(out var change)) events.Add(change);
        return events;
    }

    [Fact]
    public async Task A_watcher_gets_the_snapshot_then_every_change_in_order()
    {
        await _hub.PublishAsync(Agent("i-1", Phase.Installing));
        using var watch = _hub.Subscribe();
        await _hub.PublishAsync(Agent("i-2", Phase.Joining));
        await _hub.PublishAsync(Agent("i-1", Phase.Ready));
        await _hub.RemoveAsync("i-2");

        var events = Drain(watch);
        Assert.Equal(["i-1"], events[0].Snapshot.Agents.Select(a => a.InstanceId));
        Assert.Equal(
            ["upsert i-2 Joining", "upsert i-1 Ready", "deleted i-2"],
            events.Skip(1).Select(e => e.EventCase == WatchEvent.EventOneofCase.Upsert
                ? $"upsert {e.Upsert.InstanceId} {e.Upsert.LastReport.Phase}"
                : $"deleted {e.DeletedInstanceId}"));
    }

    [Fact]
    public async Task Publishing_the_same_status_again_tells_nobody()
    {
        await _hub.PublishAsync(Agent("i-1", Phase.Ready));
        using var watch = _hub.Subscribe();
        await _hub.PublishAsync(Agent("i-1", Phase.Ready));
        Assert.Single(Drain(watch));
    }

    [Fact]
    public async Task Statuses_outlive_the_process_that_received_them()
    {
        await _hub.PublishAsync(Agent("i-1", Phase.Ready));
        await _hub.PublishAsync(Agent("i-2", Phase.Failed));

        var later = await StatusHub.LoadAsync(new AgentStatusStore(new FolderStateStore(_folder.Path)));
        Assert.Equal(_hub.Snapshot(), later.Snapshot());
        Assert.Equal(["i-1", "i-2"], (await _store.ListAsync()).Select(s => s.InstanceId));
    }

    [Fact]
    public async Task Refresh_publishes_what_another_process_changed()
    {
        await _hub.PublishAsync(Agent("i-1", Phase.Installing));
        await _hub.PublishAsync(Agent("i-gone", Phase.Ready));
        var otherProcess = await StatusHub.LoadAsync(new AgentStatusStore(new FolderStateStore(_folder.Path)));
        using var watch = _hub.Subscribe();

        await otherProcess.PublishAsync(Agent("i-1", Phase.Ready));
        await otherProcess.PublishAsync(Agent("i-new", Phase.Joining));
        await otherProcess.RemoveAsync("i-gone");
        await _hub.RefreshAsync();

        var changes = Drain(watch).Skip(1).ToList();
        Assert.Contains(changes, e => e.Upsert?.InstanceId == "i-1" && e.Upsert.LastReport.Phase == Phase.Ready);
        Assert.Contains(changes, e => e.Upsert?.InstanceId == "i-new");
        Assert.Contains(changes, e => e.DeletedInstanceId == "i-gone");
        Assert.Equal(3, changes.Count);
        Assert.Equal(otherProcess.Snapshot(), _hub.Snapshot());
    }

    [Fact]
    public async Task A_disposed_watch_ends_and_gets_nothing_more()
    {
        var watch = _hub.Subscribe();
        watch.Dispose();
        await _hub.PublishAsync(Agent("i-1", Phase.Ready));
        Assert.Single(Drain(watch));
        Assert.True(watch.Events.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_watcher_that_does_not_keep_up_is_dropped_and_the_others_get_every_change()
    {
        var hub = new StatusHub(_store, watcherBacklog: 4);
        using var stalled = hub.Subscribe();
        using var reading = hub.Subscribe();
        var seen = Drain(reading);

        for (var i = 0; i < 10; i++)
        {
            await hub.PublishAsync(Agent("i-1", i % 2 == 0 ? Phase.Installing : Phase.Ready));
            seen.AddRange(Drain(reading));
        }

        Assert.Equal(11, seen.Count);
        Assert.False(reading.Events.Completion.IsCompleted);
        Assert.Equal(4, Drain(stalled).Count);
        var dropped = await Assert.ThrowsAsync<WatcherFellBehindException>(() => stalled.Events.Completion);
        Assert.Contains("watch again", dropped.Message);
    }

    [Fact]
    public async Task An_instance_joining_a_slot_replaces_the_one_that_held_it()
    {
        await _hub.PublishAsync(Agent("i-old", Phase.Ready, slot: "etcd-0"));
        await _hub.PublishAsync(Agent("i-other", Phase.Ready, slot: "etcd-1"));
        using var watch = _hub.Subscribe();

        await _hub.PublishJoinAsync(Agent("i-new", Phase.Joining, slot: "etcd-0"));

        Assert.Equal(["i-new", "i-other"], _hub.Snapshot().Select(s => s.InstanceId));
        Assert.Equal(["i-new", "i-other"], (await _store.ListAsync()).Select(s => s.InstanceId));
        Assert.Contains(Drain(watch), e => e.DeletedInstanceId == "i-old");
        Assert.Equal("i-new", _hub.HolderOf("etcd-0"));
    }

    [Fact]
    public async Task A_replaced_instance_cannot_report_its_way_back()
    {
        await _hub.PublishJoinAsync(Agent("i-old", Phase.Joining, slot: "etcd-0"));
        await _hub.PublishJoinAsync(Agent("i-new", Phase.Joining, slot: "etcd-0"));

        Assert.False(await _hub.PublishReportAsync(Agent("i-old", Phase.Ready, slot: "etcd-0")));
        Assert.True(await _hub.PublishReportAsync(Agent("i-new", Phase.Ready, slot: "etcd-0")));
        Assert.Equal(["i-new"], _hub.Snapshot().Select(s => s.InstanceId));
    }

    [Fact]
    public async Task Reports_of_many_slots_at_once_are_all_stored()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => _hub.PublishReportAsync(Agent($"i-{i}", Phase.Ready)))));

        Assert.Equal(200, _hub.Snapshot().Count);
        Assert.Equal(200, (await _store.ListAsync()).Count);
    }

    [Fact]
    public async Task A_refresh_running_alongside_reports_never_leaves_an_older_status_in_place()
    {
        for (var round = 0; round < 20; round++)
        {
            var ids = Enumerable.Range(0, 20).Select(i => $"i-{round}-{i}").ToList();
            await Task.WhenAll(ids.Select(id => _hub.PublishReportAsync(Agent(id, Phase.Installing))));
            var refreshing = Task.Run(async () =>
            {
                for (var i = 0; i < 5; i++) await _hub.RefreshAsync();
            });
            await Task.WhenAll(ids.Select(id => Task.Run(() => _hub.PublishReportAsync(Agent(id, Phase.Ready)))));
            await refreshing;

            Assert.All(ids, id => Assert.Equal(Phase.Ready, _hub.Snapshot().Single(s => s.InstanceId == id).LastReport.Phase));
        }
    }
}
