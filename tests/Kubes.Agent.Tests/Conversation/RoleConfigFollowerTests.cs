using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kubes.Agent.Tests.Conversation;

/// <summary>When the agent asks again for its role configuration, on virtual time: on its period, at once when told, never for nothing.</summary>
public sealed class RoleConfigFollowerTests : IDisposable
{
    private static readonly ConversationTiming Timing = new()
    {
        HealthInterval = TimeSpan.FromSeconds(30),
        ResyncPeriod = TimeSpan.FromMinutes(10),
    };

    private readonly TempRoot _root = new();
    private readonly FakeTimeProvider _time = new();
    private readonly ResyncTrigger _trigger;
    private readonly Coordinator _coordinator = new();
    private readonly RoleConfigFollower _follower;
    private readonly InstanceIdentity _identity = new() { Cluster = "demo", InstanceId = "i-0agent", Role = Role.Etcd, PrivateIp = "127.0.0.1" };
    private readonly CancellationTokenSource _stop = new();
    private int _reports;
    private DateTimeOffset? _wakeBy;

    public RoleConfigFollowerTests()
    {
        _trigger = new ResyncTrigger(_time);
        var refresh = new RoleConfigRefresh(_coordinator, new AgentStateStore(new AgentPaths(_root.Path)), NullLogger<RoleConfigRefresh>.Instance);
        _follower = new RoleConfigFollower(_trigger, refresh, Timing, _time, NullLogger<RoleConfigFollower>.Instance);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _root.Dispose();
    }

    private static RoleConfig Config(string etcdFlag, int resyncSeconds = 0)
    {
        var config = new RoleConfig { Cluster = "demo", Role = Role.Etcd, Name = "etcd-0", ResyncSeconds = resyncSeconds, Etcd = new EtcdConfig() };
        config.Etcd.ExtraArgs.Add(new Flag { Name = "snapshot-count", Value = etcdFlag });
        return config.Sealed();
    }

    /// <summary>Follows <paramref name="running"/> until the test ends (or it returns another configuration).</summary>
    private Task<JoinResponse> FollowAsync(RoleConfig running) =>
        _follower.FollowAsync(_identity, new JoinResponse { AgentCredential = "kac_agent", RoleConfig = running }, _ =>
        {
            Interlocked.Increment(ref _reports);
            return Task.CompletedTask;
        }, () => _wakeBy, _stop.Token);

    /// <summary>
    /// Moves virtual time on by <paramref name="by"/>, a health interval at a time, each time once the follower has made
    /// its report and gone back to waiting.
    /// </summary>
    private async Task PassAsync(TimeSpan by)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += Timing.HealthInterval)
        {
            var reports = Volatile.Read(ref _reports);
            await Task.Delay(20);
            _time.Advance(Timing.HealthInterval);
            for (var waited = 0; waited < 500 && Volatile.Read(ref _reports) == reports; waited++) await Task.Delay(10);
        }
        await Task.Delay(20);
    }

    [Fact]
    public async Task The_period_passing_asks_again_and_the_same_configuration_changes_nothing()
    {
        var running = Config("10000");
        _coordinator.Answer = running;
        var following = FollowAsync(running);

        await PassAsync(TimeSpan.FromMinutes(9));
        Assert.Equal(0, _coordinator.Joins);
        await PassAsync(TimeSpan.FromMinutes(1.5));
        Assert.Equal(1, _coordinator.Joins);
        Assert.Equal("kac_agent", _coordinator.LastProof);
        Assert.False(following.IsCompleted);
        Assert.Equal(22, _reports); // the first, then one every health interval, on and on

        await PassAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(2, _coordinator.Joins);
    }

    [Fact]
    public async Task A_time_due_before_the_next_health_interval_has_the_state_reported_at_that_time()
    {
        var running = Config("10000");
        _coordinator.Answer = running;
        // A certificate due a third of a health interval from now: its renewal may not wait for the interval.
        _wakeBy = _time.GetUtcNow() + Timing.HealthInterval / 3;
        _ = FollowAsync(running);
        for (var waited = 0; waited < 500 && Volatile.Read(ref _reports) == 0; waited++) await Task.Delay(10);
        Assert.Equal(1, _reports);

        _time.Advance(Timing.HealthInterval / 3);
        for (var waited = 0; waited < 500 && Volatile.Read(ref _reports) == 1; waited++) await Task.Delay(10);
        Assert.Equal(2, _reports);

        // Once past (say its renewal failed), that time no longer shortens the wait: the next report is an interval on.
        await Task.Delay(200);
        Assert.Equal(2, _reports);
        await PassAsync(Timing.HealthInterval);
        Assert.Equal(3, _reports);
        Assert.Equal(0, _coordinator.Joins);
    }

    [Fact]
    public async Task The_configurations_own_resync_seconds_set_the_period()
    {
        var running = Config("10000", resyncSeconds: 90);
        _coordinator.Answer = running;
        _ = FollowAsync(running);

        await PassAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, _coordinator.Joins);
        await PassAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, _coordinator.Joins);
    }

    [Fact]
    public async Task A_tell_of_another_configuration_asks_at_once_and_hands_it_over()
    {
        var running = Config("10000");
        var wanted = Config("5000");
        _coordinator.Answer = wanted;
        var following = FollowAsync(running);
        await Task.Delay(20);

        _trigger.Heard(wanted.ConfigHash);
        var fresh = await following.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(wanted, fresh.RoleConfig);
        Assert.Equal(1, _coordinator.Joins);
        Assert.Equal(1, _reports);
    }

    [Fact]
    public async Task A_tell_of_the_configuration_it_runs_asks_nothing()
    {
        var running = Config("10000");
        _coordinator.Answer = running;
        _ = FollowAsync(running);

        for (var i = 0; i < 10; i++)
        {
            _trigger.Heard(running.ConfigHash);
            await PassAsync(Timing.HealthInterval);
        }

        Assert.Equal(0, _coordinator.Joins);
    }

    /// <summary>Answers every re-join with <see cref="Answer"/>.</summary>
    private sealed class Coordinator : IRegistrarChannel
    {
        private int _joins;

        public RoleConfig Answer { get; set; } = new();
        public int Joins => _joins;
        public string? LastProof { get; private set; }

        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _joins);
            LastProof = request.Identity.JoinToken;
            return Task.FromResult(new JoinResponse { AgentCredential = request.Identity.JoinToken, RoleConfig = Answer });
        }

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a re-sync certifies nothing by itself");

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("reports go through the report publisher");
    }
}
