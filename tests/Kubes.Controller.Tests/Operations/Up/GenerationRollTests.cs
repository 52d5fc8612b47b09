using Kubes.Controller.DesiredState;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;
using Microsoft.Extensions.Time.Testing;

namespace Kubes.Controller.Tests.Operations.Up;

/// <summary>The roll's decisions, against simulated agents on virtual time: who changes when, what it waits for, when it stops.</summary>
public sealed class GenerationRollTests : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private static readonly ClusterTopology Topology = ClusterTopology.From(new ClusterSpec
    {
        Name = "roll",
        Bastion = new BastionSpec { Count = 0 },
        Controllers = new InstanceGroupSpec { Count = 1 },
        Nodes = new NodeGroupSpec { Count = 2, Min = 0 },
    });

    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly SlotAssignments _assignments;
    private readonly SimulatedAgents _agents;
    private readonly RecordingRollProgress _progress = new();

    public GenerationRollTests()
    {
        _assignments = new SlotAssignments(new FolderStateStore(_folder.Path));
        _agents = new SimulatedAgents(_time, _assignments);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Every slot of <see cref="Topology"/> joined on generation 1, reporting at its own moment of each half minute;
    /// generation 2 changes the etcd members only.</summary>
    private async Task OnGeneration1Async()
    {
        foreach (var slot in Topology.Slots)
        {
            _agents.Add(slot.Role, slot.Index, TimeSpan.FromSeconds(1 + 7 * _agents.Members.Count % 29));
            await _assignments.AssignAsync(slot.Name, 1, CancellationToken.None);
        }
        foreach (var member in _agents.Members.Where(m => !m.Name.StartsWith("etcd", StringComparison.Ordinal)))
            member.ChangesOnGeneration2 = false;
        // Each has reported what it runs.
        _time.Advance(TimeSpan.FromSeconds(30));
        await _agents.ReadAsync(CancellationToken.None);
    }

    /// <summary>Runs the roll of generation 2, moving virtual time on while it waits.</summary>
    private async Task<RollOutcome> RollAsync(TimeSpan timeout)
    {
        var roll = new GenerationRoll(Topology, _assignments, 2, _agents.ReadAsync, (status, _) => _agents.ExpectedHashAsync(status, 2),
            _progress, Poll, _time).RunAsync(timeout, CancellationToken.None);
        while (!roll.IsCompleted)
        {
            await Task.Delay(1);
            _time.Advance(Poll);
        }
        return await roll;
    }

    private Task<int?> AssignedAsync(string slot) => _assignments.GetAsync(slot, CancellationToken.None);

    [Fact]
    public async Task Etcd_members_change_one_at_a_time_each_only_once_every_member_has_reported_ready_since_the_last_came_back()
    {
        await OnGeneration1Async();
        _agents["etcd-2"].DegradedUntil = _time.GetUtcNow() + TimeSpan.FromMinutes(2);
        _time.Advance(TimeSpan.FromSeconds(30));
        await _agents.ReadAsync(CancellationToken.None);
        Assert.Equal(Protos.V1.Phase.Degraded, _agents["etcd-2"].Reports[^1].Phase);

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Completed, outcome.Reason);
        var etcd = new[] { "etcd-0", "etcd-1", "etcd-2" }.Select(name => _agents[name]).ToList();
        Assert.All(etcd, member => Assert.Equal(("g2", 1), (member.Running, member.Changes.Count)));
        // In order, and never a member down while another is down or Degraded.
        var changes = etcd.Select(m => m.Changes.Single()).ToList();
        Assert.Equal(changes.OrderBy(c => c.Down), changes);
        Assert.True(changes[0].Down >= _agents["etcd-2"].DegradedUntil, "etcd-0 changed while etcd-2 was Degraded");
        for (var i = 1; i < changes.Count; i++)
        {
            Assert.True(changes[i].Down > changes[i - 1].Back, $"etcd-{i} went down before etcd-{i - 1} was back");
            foreach (var other in etcd)
            {
                Assert.Contains(other.Reports, report => report.At > changes[i - 1].Back && report.At <= changes[i].Down
                                                         && report.Phase == Protos.V1.Phase.Ready);
            }
        }
        Assert.Equal(["etcd: etcd-0, etcd-1, etcd-2"], _progress.Started);
        Assert.Equal(["etcd-0", "etcd-1", "etcd-2"], _progress.Done);
        foreach (var slot in new[] { "controller-0", "node-0", "node-1" })
        {
            Assert.Equal(2, await AssignedAsync(slot));
            Assert.Contains($"{slot}: its configuration does not change", _progress.Assigned);
        }
    }

    [Fact]
    public async Task A_member_that_never_comes_back_stops_the_roll_there_and_the_members_after_it_are_untouched()
    {
        await OnGeneration1Async();
        _agents["etcd-1"].NeverComesBack = true;
        var started = _time.GetUtcNow();

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Stopped);
        Assert.Equal("etcd-1", outcome.StoppedAt);
        Assert.Contains("did not come back", outcome.Reason);
        Assert.Contains("waiting for its agent to take generation 2", outcome.Reason);
        Assert.True(_time.GetUtcNow() - started >= Timeout);
        Assert.Equal((2, 2, 1), (await AssignedAsync("etcd-0"), await AssignedAsync("etcd-1"), await AssignedAsync("etcd-2")));
        Assert.Empty(_agents["etcd-2"].Changes);
        // The roll stopped in etcd: the controllers and nodes after it were not reached either.
        Assert.Equal(1, await AssignedAsync("controller-0"));
    }

    [Fact]
    public async Task An_interrupted_roll_resumes_waiting_first_for_the_member_it_had_changed()
    {
        await OnGeneration1Async();
        // Interrupted after etcd-0 came back and etcd-1 was given generation 2, before its agent heard of it.
        await _assignments.AssignAsync("etcd-0", 2, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _agents.ReadAsync(CancellationToken.None);
        await _assignments.AssignAsync("etcd-1", 2, CancellationToken.None);

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Completed, outcome.Reason);
        Assert.Equal(["etcd: etcd-2"], _progress.Started);
        var etcd1 = _agents["etcd-1"].Changes.Single();
        var etcd2 = _agents["etcd-2"].Changes.Single();
        Assert.True(etcd2.Down > etcd1.Back, "etcd-2 changed before etcd-1 was back on generation 2");
        Assert.Contains(_progress.Waiting, line => line.StartsWith("etcd-2: etcd-1 to run generation 2", StringComparison.Ordinal));
        Assert.Single(_agents["etcd-0"].Changes);
    }

    [Fact]
    public async Task A_slot_whose_agent_has_not_joined_is_assigned_at_once_without_waiting()
    {
        await OnGeneration1Async();
        foreach (var member in _agents.Members) member.ChangesOnGeneration2 = false;
        _agents["etcd-2"].Joined = false; // its instance was replaced: the new one has not joined

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Completed, outcome.Reason);
        Assert.Empty(_progress.Waiting);
        Assert.Equal(2, await AssignedAsync("etcd-2"));
        Assert.Contains("etcd-2: its agent has not joined", _progress.Assigned);
        Assert.Empty(_progress.Started);
    }

    [Fact]
    public async Task A_member_that_has_not_joined_keeps_the_others_of_its_role_from_changing()
    {
        await OnGeneration1Async();
        _agents["etcd-2"].Joined = false;

        var outcome = await RollAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("etcd-0", outcome.StoppedAt);
        Assert.Contains("not every etcd member was Ready (waiting for etcd-2 to join", outcome.Reason);
        Assert.Equal(1, await AssignedAsync("etcd-0"));
        Assert.All(_agents.Members, member => Assert.Empty(member.Changes));
    }

    [Fact]
    public async Task Nodes_change_one_at_a_time_without_waiting_for_fresh_reports_of_the_others()
    {
        await OnGeneration1Async();
        foreach (var member in _agents.Members) member.ChangesOnGeneration2 = member.Name.StartsWith("node", StringComparison.Ordinal);

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Completed, outcome.Reason);
        var (node0, node1) = (_agents["node-0"].Changes.Single(), _agents["node-1"].Changes.Single());
        Assert.True(node1.Down > node0.Back);
        Assert.DoesNotContain(_progress.Waiting, line => line.Contains("fresh Ready report", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failed_members_of_a_role_without_a_quorum_take_the_new_generation_together_at_once()
    {
        await OnGeneration1Async();
        foreach (var member in _agents.Members)
        {
            member.ChangesOnGeneration2 = member.Name.StartsWith("node", StringComparison.Ordinal);
            member.FailsOnGeneration1 = member.ChangesOnGeneration2;
        }
        _time.Advance(TimeSpan.FromSeconds(30));
        await _agents.ReadAsync(CancellationToken.None);
        Assert.All(new[] { "node-0", "node-1" }, name => Assert.Equal(Protos.V1.Phase.Failed, _agents[name].Reports[^1].Phase));

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Completed, outcome.Reason);
        Assert.Empty(_progress.Started);
        foreach (var name in new[] { "node-0", "node-1" })
        {
            Assert.Equal(2, await AssignedAsync(name));
            Assert.Contains($"{name}: it reports Failed, so changing it takes nothing away that serves; the new configuration may be its fix",
                _progress.Assigned);
        }
    }

    /// <summary>
    /// A configuration follows the cluster's material as well as the spec: when the material moves during the roll (a
    /// controller's service-account key arriving), a member that took it runs the generation; the roll does not wait for
    /// the hash it expected when it started.
    /// </summary>
    [Fact]
    public async Task A_member_that_took_material_which_moved_during_the_roll_runs_the_generation()
    {
        await OnGeneration1Async();
        foreach (var member in _agents.Members) member.ChangesOnGeneration2 = member.Name.StartsWith("node", StringComparison.Ordinal);
        _agents["node-0"].FailsOnGeneration1 = true;
        _time.Advance(TimeSpan.FromSeconds(30));
        await _agents.ReadAsync(CancellationToken.None);

        var roll = new GenerationRoll(Topology, _assignments, 2, _agents.ReadAsync, (status, _) => _agents.ExpectedHashAsync(status, 2),
            _progress, Poll, _time).RunAsync(Timeout, CancellationToken.None);
        for (var i = 0; i < 5 && !roll.IsCompleted; i++)
        {
            await Task.Delay(1);
            _time.Advance(Poll);
        }
        foreach (var member in _agents.Members) member.Material = "+k2";
        while (!roll.IsCompleted)
        {
            await Task.Delay(1);
            _time.Advance(Poll);
        }
        var outcome = await roll;

        Assert.True(outcome.Completed, outcome.Reason);
        Assert.All(new[] { "node-0", "node-1" }, name => Assert.Equal("g2+k2", _agents[name].Running));
    }

    [Fact]
    public async Task A_failed_etcd_member_keeps_the_others_from_changing_since_the_quorum_may_still_count_it()
    {
        await OnGeneration1Async();
        _agents["etcd-1"].FailsOnGeneration1 = true;
        _time.Advance(TimeSpan.FromSeconds(30));
        await _agents.ReadAsync(CancellationToken.None);

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Stopped);
        Assert.Equal("etcd-0", outcome.StoppedAt);
        Assert.Contains("etcd-1 to be Ready (it reports Failed)", outcome.Reason);
        Assert.All(new[] { "etcd-0", "etcd-1", "etcd-2" }, name => Assert.Empty(_agents[name].Changes));
    }

    [Fact]
    public async Task Without_time_to_wait_only_what_needs_no_wait_is_assigned_and_the_rest_is_left_for_the_next_run()
    {
        await OnGeneration1Async();

        var outcome = await RollAsync(TimeSpan.Zero);

        Assert.False(outcome.Completed);
        Assert.False(outcome.Stopped);
        Assert.Equal(["etcd-0", "etcd-1", "etcd-2"], outcome.Deferred);
        Assert.Equal(1, await AssignedAsync("etcd-0"));
        Assert.Equal(2, await AssignedAsync("node-1"));
    }

    [Fact]
    public async Task Nothing_behind_is_nothing_to_do()
    {
        await OnGeneration1Async();
        foreach (var slot in Topology.Slots) await _assignments.AssignAsync(slot.Name, 2, CancellationToken.None);
        foreach (var member in _agents.Members) member.ChangesOnGeneration2 = false;

        var outcome = await RollAsync(Timeout);

        Assert.True(outcome.Completed);
        Assert.Empty(_progress.Assigned);
        Assert.Empty(_progress.Started);
    }

    private sealed class RecordingRollProgress : IRollProgress
    {
        public List<string> Assigned { get; } = [];
        public List<string> Started { get; } = [];
        public List<string> Waiting { get; } = [];
        public List<string> Done { get; } = [];

        public void RollAssigned(string member, int generation, string why) => Assigned.Add($"{member}: {why}");
        public void RollStarting(int generation, string role, IReadOnlyList<string> members) => Started.Add($"{role}: {string.Join(", ", members)}");
        public void RollWaiting(string member, string what) => Waiting.Add($"{member}: {what}");
        public void RollMemberDone(string member, int generation, TimeSpan took) => Done.Add(member);
        public Task ShowAsync(IReadOnlyList<SlotStatus> rows, DateTimeOffset now) => Task.CompletedTask;
    }
}
