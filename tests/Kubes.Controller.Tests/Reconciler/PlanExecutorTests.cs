using Kubes.Controller.Reconciler;
using Kubes.Controller.Tests.Aws.Handlers;

namespace Kubes.Controller.Tests.Reconciler;

public sealed class PlanExecutorTests
{
    private static readonly ResourceKey Vpc = new("vpc", "main");
    private static readonly ResourceKey Subnet = new("subnet", "a");
    private static readonly ResourceKey Instance = new("instance", "etcd-0");
    private static readonly ResourceKey Bucket = new("bucket", "state");
    private static readonly ResourceKey Attachment = new("volume-attachment", "etcd-0-data");
    private static readonly ResourceKey Volume = new("volume", "etcd-0-data");

    private readonly List<string> _log = [];
    private readonly RecordingProgress _progress = new();
    private readonly SteppingTimeProvider _time = new();

    [Fact]
    public async Task A_create_starts_only_after_everything_it_depends_on_is_created()
    {
        var plan = Creates(
            new ScriptedResource(Instance, Subnet, Vpc),
            new ScriptedResource(Subnet, Vpc),
            new ScriptedResource(Vpc));

        var result = await Executor(Handlers()).ApplyAsync(plan, new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(3, result.Applied);
        Assert.True(Index("end create vpc/main") < Index("start create subnet/a"));
        Assert.True(Index("end create subnet/a") < Index("start create instance/etcd-0"));
    }

    [Fact]
    public async Task Independent_creates_run_at_the_same_time()
    {
        var handlers = Handlers();
        handlers["vpc"].Holding(Vpc, handlers["bucket"].StartOf(Bucket));

        var result = await Executor(handlers)
            .ApplyAsync(Creates(new ScriptedResource(Vpc), new ScriptedResource(Bucket)), new ResolvedIds([]), CancellationToken.None);

        // The VPC's create is held until the bucket's has started in its handler: both were under way at once.
        Assert.True(result.Succeeded);
        Assert.True(Index("start create bucket/state") < Index("end create vpc/main"));
    }

    [Fact]
    public async Task A_failed_create_skips_what_depends_on_it_and_not_what_does_not()
    {
        var handlers = Handlers();
        handlers["subnet"].Failing(Subnet, _ => new InvalidOperationException("permanent: bad CIDR"));
        var plan = Creates(new ScriptedResource(Vpc), new ScriptedResource(Subnet, Vpc), new ScriptedResource(Instance, Subnet),
            new ScriptedResource(Bucket));

        var result = await Executor(handlers).ApplyAsync(plan, new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(2, result.Applied);
        Assert.Equal(Subnet, Assert.Single(result.Failed).Change.Key);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal(Instance, skipped.Change.Key);
        Assert.Equal("blocked by subnet/a", skipped.Reason);
        Assert.DoesNotContain("start create instance/etcd-0", _log);
    }

    [Fact]
    public async Task Creates_that_wait_on_each_other_in_a_cycle_are_skipped_not_hung()
    {
        var plan = Creates(new ScriptedResource(Vpc, Subnet), new ScriptedResource(Subnet, Vpc), new ScriptedResource(Bucket));

        var result = await Executor(Handlers()).ApplyAsync(plan, new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(1, result.Applied);
        Assert.Equal([Subnet, Vpc], result.Skipped.Select(s => s.Change.Key).Order());
        Assert.All(result.Skipped, s => Assert.Equal("dependency cycle", s.Reason));
    }

    [Fact]
    public async Task Deletes_run_in_waves_of_delete_order_whatever_order_the_plan_lists_them_in()
    {
        var plan = Deletes(Volume, Vpc, Attachment, Subnet, Instance);

        var result = await Executor(Handlers()).ApplyAsync(plan, new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(5, result.Applied);
        Assert.Equal(
            ["instance/etcd-0", "volume-attachment/etcd-0-data", "volume/etcd-0-data", "subnet/a", "vpc/main"],
            _log.Where(l => l.StartsWith("start", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]));
        // Each wave has ended before the next starts.
        Assert.True(Index("end delete instance/etcd-0") < Index("start delete volume-attachment/etcd-0-data"));
        Assert.True(Index("end delete volume-attachment/etcd-0-data") < Index("start delete volume/etcd-0-data"));
    }

    [Fact]
    public async Task After_a_failed_delete_the_later_waves_are_left_alone_and_named()
    {
        var handlers = Handlers();
        handlers["instance"].Failing(Instance, _ => new InvalidOperationException("permanent: termination protection"));

        var result = await Executor(handlers).ApplyAsync(Deletes(Instance, Volume, Vpc), new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(Instance, Assert.Single(result.Failed).Change.Key);
        Assert.Equal([Volume, Vpc], result.Skipped.Select(s => s.Change.Key));
        Assert.All(result.Skipped, s => Assert.Equal("an earlier deletion failed", s.Reason));
        Assert.DoesNotContain(_log, l => l.Contains("volume/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deletes_run_after_every_create_and_update()
    {
        var plan = new Plan(
        [
            Delete(Volume),
            new ResourceChange(ChangeAction.Create, Vpc, new ScriptedResource(Vpc), null, []),
            new ResourceChange(ChangeAction.Update, Bucket, new ScriptedResource(Bucket), new ActualResource(Bucket, "b", "b"),
                [new FieldChange("versioning", "off", "on")]),
        ], 0);
        var handlers = Handlers();
        handlers["bucket"].Drifted(Bucket);

        var result = await Executor(handlers).ApplyAsync(plan, new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(3, result.Applied);
        Assert.Equal("start delete volume/etcd-0-data", _log.Where(l => l.StartsWith("start", StringComparison.Ordinal)).Last());
    }

    [Fact]
    public async Task Updates_that_turn_out_to_have_nothing_left_to_change_all_complete()
    {
        // Compared again at apply time, these have no difference left: each finishes without doing anything.
        var plan = new Plan([.. new[] { Vpc, Subnet, Bucket }.Select(key => new ResourceChange(ChangeAction.Update, key,
            new ScriptedResource(key), new ActualResource(key, $"id-{key.Name}", key.Name), [new FieldChange("drift", "a", "b")]))], 0);

        var result = await Executor(Handlers()).ApplyAsync(plan, new ResolvedIds([]), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(3, result.Applied);
        Assert.Empty(_log);
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_each_retry_shown()
    {
        var handlers = Handlers();
        handlers["vpc"].Failing(Vpc, attempt => attempt <= 2 ? new InvalidOperationException("transient: throttled") : null);

        var result = await Executor(handlers).ApplyAsync(Creates(new ScriptedResource(Vpc)), new ResolvedIds([]), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(3, handlers["vpc"].Attempts(Vpc));
        Assert.Equal(2, _progress.Events.Count(e => e == "retrying vpc/main: transient: throttled"));
    }

    [Fact]
    public async Task A_permanent_failure_is_reported_after_one_attempt_as_it_is()
    {
        var handlers = Handlers();
        handlers["vpc"].Failing(Vpc, _ => new InvalidOperationException("permanent: CIDR overlaps"));

        var result = await Executor(handlers).ApplyAsync(Creates(new ScriptedResource(Vpc)), new ResolvedIds([]), CancellationToken.None);

        Assert.Equal("permanent: CIDR overlaps", Assert.Single(result.Failed).Reason);
        Assert.Equal(1, handlers["vpc"].Attempts(Vpc));
        Assert.Equal(TimeSpan.Zero, _time.Elapsed);
    }

    [Fact]
    public async Task A_transient_failure_that_lasts_gives_up_after_the_budgets_attempts_and_says_so()
    {
        var handlers = Handlers();
        handlers["vpc"].Failing(Vpc, _ => new InvalidOperationException("transient: throttled"));

        var result = await Executor(handlers).ApplyAsync(Creates(new ScriptedResource(Vpc)), new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(6, handlers["vpc"].Attempts(Vpc));
        Assert.StartsWith("transient: throttled (still failing after 6 attempts over ", Assert.Single(result.Failed).Reason);
    }

    [Fact]
    public async Task A_delete_blocked_by_a_dependency_being_released_is_retried_for_minutes_until_it_goes_through()
    {
        // A subnet held for eight minutes by the network interfaces of a deleted load balancer.
        var released = TimeSpan.FromMinutes(8);
        var handlers = Handlers();
        handlers["subnet"].Failing(Subnet, _ => _time.Elapsed < released ? new InvalidOperationException("releasing: DependencyViolation") : null);

        var noJitter = new RetryBudget(6, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(30), () => 1.0);

        var result = await new PlanExecutor(Index(handlers), _progress, Classify, noJitter, _time)
            .ApplyAsync(Deletes(Subnet), new ResolvedIds([]), CancellationToken.None);

        Assert.True(result.Succeeded);
        // Backoff 1, 2, 4, 8, 16 s, then every 30 s: through within one capped delay of the release.
        Assert.InRange(_time.Elapsed, released, released + TimeSpan.FromSeconds(30));
        Assert.Equal(21, handlers["subnet"].Attempts(Subnet));
        Assert.Equal(20, _progress.Events.Count(e => e.StartsWith("retrying subnet/a", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_dependency_never_released_gives_up_when_the_window_closes()
    {
        var handlers = Handlers();
        handlers["subnet"].Failing(Subnet, _ => new InvalidOperationException("releasing: DependencyViolation"));

        var result = await Executor(handlers).ApplyAsync(Deletes(Subnet, Vpc), new ResolvedIds([]), CancellationToken.None);

        Assert.Equal(RetryBudget.Default.ReleaseWindow, _time.Elapsed);
        Assert.Matches(@"^releasing: DependencyViolation \(still failing after \d+ attempts over 10 min 0 s\)$",
            Assert.Single(result.Failed).Reason);
        Assert.Equal(Vpc, Assert.Single(result.Skipped).Change.Key);
    }

    private PlanExecutor Executor(Dictionary<string, ScriptedHandler> handlers) =>
        new(Index(handlers), _progress, Classify, time: _time);

    private Dictionary<string, ScriptedHandler> Handlers() => new()
    {
        ["bucket"] = new ScriptedHandler("bucket", 90, _log),
        ["vpc"] = new ScriptedHandler("vpc", 70, _log),
        ["subnet"] = new ScriptedHandler("subnet", 60, _log),
        ["instance"] = new ScriptedHandler("instance", 20, _log),
        ["volume-attachment"] = new ScriptedHandler("volume-attachment", 25, _log),
        ["volume"] = new ScriptedHandler("volume", 30, _log),
    };

    private static Dictionary<string, IResourceHandler> Index(Dictionary<string, ScriptedHandler> handlers) =>
        handlers.ToDictionary(h => h.Key, IResourceHandler (h) => h.Value);

    private static FailureKind Classify(Exception error) => error.Message.Split(':')[0] switch
    {
        "transient" => FailureKind.Transient,
        "releasing" => FailureKind.Releasing,
        _ => FailureKind.Permanent,
    };

    private static Plan Creates(params ScriptedResource[] resources) =>
        new([.. resources.Select(r => new ResourceChange(ChangeAction.Create, r.Key, r, null, []))], 0);

    private static Plan Deletes(params ResourceKey[] keys) => new([.. keys.Select(Delete)], 0);

    private static ResourceChange Delete(ResourceKey key) =>
        new(ChangeAction.Delete, key, null, new ActualResource(key, $"id-{key.Name}", key.Name), []);

    private int Index(string line)
    {
        var index = _log.IndexOf(line);
        Assert.True(index >= 0, $"'{line}' is not in the log:\n{string.Join("\n", _log)}");
        return index;
    }
}
