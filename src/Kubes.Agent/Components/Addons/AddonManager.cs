using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Components.Addons;

/// <summary>
/// Applies the cluster's add-ons from a controller, in the background, so that installing the role never waits for the
/// lease: every few seconds a round takes its turn at the lease (<see cref="AddonLeaseElection"/>) and, while this
/// controller holds it, brings the cluster to the latest set it was given (<see cref="AddonApplier"/>). A round that fails
/// is tried again by the next, its reason kept for the health detail. Idle on an agent never given a set (other roles).
/// </summary>
public sealed class AddonManager(
    AddonApiConnector connector,
    AddonLeaseElection election,
    AddonApplier applier,
    TimeProvider time,
    ILogger<AddonManager> log) : BackgroundService
{
    public static readonly TimeSpan WhileHolding = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan WhileWaiting = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private AddonsLayout? _layout;
    private TaskCompletionSource _news = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _detail = "waiting for the add-on manager's first round";

    /// <summary>What the manager is doing or waiting for, or why its last round failed.</summary>
    public string Detail
    {
        get { lock (_lock) return _detail; }
        private set { lock (_lock) _detail = value; }
    }

    /// <summary>The role configuration's add-ons, as the agent runs them now; another set wakes the manager at once.</summary>
    public void Follow(AddonsLayout layout)
    {
        lock (_lock)
        {
            var changed = _layout?.SetHash != layout.SetHash;
            _layout = layout;
            if (changed) _news.TrySetResult();
        }
    }

    /// <summary>One round: a turn at the lease, then, for its holder, applying what the cluster lacks.</summary>
    /// <returns>How long until the next round.</returns>
    public async Task<TimeSpan> RoundAsync(CancellationToken cancellationToken)
    {
        AddonsLayout? layout;
        lock (_lock) layout = _layout;
        if (layout is null) return WhileWaiting;

        try
        {
            using var api = connector.Connect(layout);
            if (!await election.TakeTurnAsync(api, layout.InstanceName, cancellationToken))
            {
                Detail = election.Holder.Length > 0
                    ? $"waiting for {election.Holder} to apply the add-ons"
                    : "waiting for the add-on lease, which another controller took first";
                return WhileWaiting;
            }

            var applied = await applier.ApplyAsync(api, layout, ct => election.KeepAsync(api, layout.InstanceName, ct),
                doing => Detail = doing, cancellationToken);
            Detail = applied ? $"applied the add-on set {layout.SetHash}" : "stopped applying: the add-on lease was lost";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Before RBAC is bootstrapped, or while the apiserver restarts, every round fails the same way: logged once.
            if (e.Message != Detail) log.LogWarning("The add-on round failed, retrying every few seconds: {Reason}", e.Message);
            Detail = e.Message;
        }

        return election.IsHeld ? WhileHolding : WhileWaiting;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                // Taken before the round, so that a set given during the round wakes the next one at once.
                Task news;
                bool following;
                lock (_lock)
                {
                    if (_news.Task.IsCompleted) _news = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    news = _news.Task;
                    following = _layout is not null;
                }

                var wait = await RoundAsync(stoppingToken);
                try
                {
                    await news.WaitAsync(following ? wait : Timeout.InfiniteTimeSpan, time, stoppingToken);
                }
                catch (TimeoutException)
                {
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
