using Kubes.Controller.DesiredState;
using Kubes.Controller.Operations.Up;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Tests.Providers.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Operations.Up;

/// <summary><c>kubes up</c> through the provider seam alone: what it asks of the provider, in which order, and what it reports.</summary>
public sealed class ClusterUpTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Up_readies_the_launches_applies_with_them_then_has_the_agents_answered_and_follows_them()
    {
        using var session = new ScriptedClusterSession(_folder.Path);
        var progress = new RecordingUpProgress();

        var outcome = await new ClusterUp(session, progress).RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.True(outcome.Result.Succeeded);
        Assert.Equal(
            ["prepare launches", "handlers launching scripted-image", "start create thing/a", "end create thing/a", "answer agents"],
            session.Log);
        Assert.Equal(
            ["coordinator: scripted coordinator", $"applying seam in a test (state: {_folder.Path})", "started thing/a",
             "succeeded thing/a", "applied 1 of 1", "following the agents, answered by the script, for 0 min", "shown 10 slots"],
            progress.Lines);
        Assert.Equal(10, outcome.Slots.Count);
    }

    [Fact]
    public async Task Up_whose_apply_fails_never_has_the_agents_answered()
    {
        using var session = new ScriptedClusterSession(_folder.Path) { ThingFails = true };
        var progress = new RecordingUpProgress();

        var outcome = await new ClusterUp(session, progress).RunAsync(TimeSpan.FromMinutes(5), CancellationToken.None);

        Assert.False(outcome.Result.Succeeded);
        Assert.Empty(outcome.Slots);
        Assert.DoesNotContain("answer agents", session.Log);
        Assert.Contains("failed thing/a: scripted failure", progress.Lines);
        Assert.Equal("applied 0 of 1", progress.Lines[^1]);
    }

    [Fact]
    public async Task Up_records_its_spec_as_the_newest_desired_state_before_any_launch_and_a_second_up_records_nothing_new()
    {
        using (var first = new ScriptedClusterSession(_folder.Path) { LoadsStateFirst = true })
        {
            var outcome = await new ClusterUp(first, new RecordingUpProgress()).RunAsync(TimeSpan.Zero, CancellationToken.None);
            Assert.Equal("prepare launches on desired generation 1", first.Log[0]);
            Assert.True(outcome.Roll!.Completed);
        }
        using (var again = new ScriptedClusterSession(_folder.Path) { LoadsStateFirst = true })
        {
            await new ClusterUp(again, new RecordingUpProgress()).RunAsync(TimeSpan.Zero, CancellationToken.None);
            Assert.Equal("prepare launches on desired generation 1", again.Log[0]);
        }

        var generations = new SpecGenerationStore(new FolderStateStore(_folder.Path));
        Assert.Equal(1, await generations.NewestNumberAsync(CancellationToken.None));
        using var session = new ScriptedClusterSession(_folder.Path);
        Assert.Equal(session.Topology.Spec, (await generations.GetAsync(1, CancellationToken.None)).Spec);
    }

    [Fact]
    public async Task Up_with_a_changed_spec_records_the_next_generation_and_once_every_slot_runs_it_the_earlier_one_goes()
    {
        using (var first = new ScriptedClusterSession(_folder.Path) { LoadsStateFirst = true })
            await new ClusterUp(first, new RecordingUpProgress()).RunAsync(TimeSpan.Zero, CancellationToken.None);
        var changed = ClusterTopology.From(ClusterSpecDefaults.Local("seam") with
        {
            StateStore = _folder.Path,
            Components = new Dictionary<string, ComponentSpec>
            {
                ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { ["snapshot-count"] = "5000" } },
            },
        });

        using var session = new ScriptedClusterSession(_folder.Path) { LoadsStateFirst = true, Topology = changed };
        var outcome = await new ClusterUp(session, new RecordingUpProgress()).RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal("prepare launches on desired generation 2", session.Log[0]);
        // No agent has joined: every slot joins on generation 2, and nobody needs generation 1 any more.
        Assert.Equal(2, outcome.Roll!.Generation);
        Assert.True(outcome.Roll.Completed);
        Assert.Equal([SpecGenerationStore.KeyOf(2)], await new FolderStateStore(_folder.Path).ListAsync(SpecGenerationStore.Prefix));
    }

    private sealed class RecordingUpProgress : IUpProgress
    {
        public List<string> Lines { get; } = [];

        public void CoordinatorReady(string coordinator) => Add($"coordinator: {coordinator}");
        public void Applying(string cluster, string where, string state) => Add($"applying {cluster} {where} (state: {state})");
        public void Applied(Plan plan, ApplyResult result) => Add($"applied {result.Applied} of {plan.Changes.Count}");

        public void ArtifactsResolved(IReadOnlyList<string> lines) => Add($"artifacts: {lines.Count} lines");
        public void FollowingAgents(string answeredBy, TimeSpan wait) => Add($"following the agents, {answeredBy}, for {wait.TotalMinutes} min");
        public void AddonManagersGranted(string? problem) => Add(problem is null ? "add-on managers granted" : $"add-on managers not granted: {problem}");
        public void PodNetworkResolved(string line) => Add($"pod network: {line}");
        public void Started(ResourceChange change) => Add($"started {change.Key}");
        public void Succeeded(ResourceChange change, TimeSpan elapsed) => Add($"succeeded {change.Key}");
        public void Failed(ResourceChange change, Exception error) => Add($"failed {change.Key}: {error.Message}");
        public void Retrying(ResourceChange change, Exception error, int attempt, TimeSpan delay) => Add($"retrying {change.Key}");
        public void Skipped(ResourceChange change, string reason) => Add($"skipped {change.Key}");
        public void RollAssigned(string member, int generation, string why) => Add($"assigned {member} generation {generation}: {why}");
        public void RollStarting(int generation, string role, IReadOnlyList<string> members) =>
            Add($"rolling generation {generation} across {role}: {string.Join(", ", members)}");
        public void RollWaiting(string member, string what) => Add($"{member} waits for {what}");
        public void RollMemberDone(string member, int generation, TimeSpan took) => Add($"{member} runs generation {generation}");

        public Task ShowAsync(IReadOnlyList<SlotStatus> rows, DateTimeOffset now)
        {
            Add($"shown {rows.Count} slots");
            return Task.CompletedTask;
        }

        private void Add(string line)
        {
            lock (Lines) Lines.Add(line);
        }
    }
}
