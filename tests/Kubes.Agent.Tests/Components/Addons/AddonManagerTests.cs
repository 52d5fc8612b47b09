using Kubes.Protos.Contract;
using System.Net;
using System.Text.Json.Nodes;
using Kubes.Agent.Components.Addons;
using Kubes.Protos.V1;
using static Kubes.Agent.Tests.Components.Addons.AddonConfigs;

namespace Kubes.Agent.Tests.Components.Addons;

/// <summary>Two controllers' managers against one apiserver (in memory), on a virtual clock.</summary>
public sealed class AddonManagerTests
{
    private readonly AddonControllers _cluster = new();
    private readonly AddonManager _first;
    private readonly AddonManager _second;

    public AddonManagerTests()
    {
        _first = _cluster.Manager();
        _second = _cluster.Manager();
    }

    private void Follow(params AddonObject[] objects)
    {
        _first.Follow(AddonConfigs.Layout("controller-0", objects));
        _second.Follow(AddonConfigs.Layout("controller-1", objects));
    }

    private Task<TimeSpan> Round(AddonManager manager) => manager.RoundAsync(CancellationToken.None);

    [Fact]
    public async Task Of_two_controllers_exactly_one_applies_and_the_other_waits_for_it()
    {
        Follow(A, B, C);

        Assert.Equal(AddonManager.WhileHolding, await Round(_first));
        Assert.Equal(AddonManager.WhileWaiting, await Round(_second));

        Assert.Equal([A.Path, B.Path, C.Path], _cluster.Applied());
        Assert.Equal("controller-0", _cluster.Lease().Holder);
        Assert.Equal(AddonHashes.OfSet([A, B, C]), _cluster.Record().Set);
        Assert.Equal("controller-0", _cluster.Record().By);
        Assert.Equal([A.Path, B.Path, C.Path], _cluster.Record().Objects.Keys);
        Assert.Equal("waiting for controller-0 to apply the add-ons", _second.Detail);
        Assert.Equal($"applied the add-on set {AddonHashes.OfSet([A, B, C])}", _first.Detail);
    }

    [Fact]
    public async Task The_lease_is_created_with_this_controller_its_duration_and_micro_times()
    {
        Follow(A);

        await Round(_first);

        var lease = _cluster.Server.Get(AddonLease.Path)!["spec"]!;
        Assert.Equal("controller-0", lease["holderIdentity"]!.GetValue<string>());
        Assert.Equal(30, lease["leaseDurationSeconds"]!.GetValue<int>());
        Assert.Equal("2030-03-14T09:00:00.000000Z", lease["acquireTime"]!.GetValue<string>());
        Assert.Equal("2030-03-14T09:00:00.000000Z", lease["renewTime"]!.GetValue<string>());
        Assert.Equal(0, lease["leaseTransitions"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_second_round_with_the_same_set_only_renews_the_lease_and_reads_the_record()
    {
        Follow(A, B, C);
        await Round(_first);
        var versions = new[] { A, B, C }.Select(o => _cluster.Server.ResourceVersion(o.Path)).ToList();
        var recordVersion = _cluster.Server.ResourceVersion(AddonNames.RecordPath);
        _cluster.Server.Requests.Clear();
        _cluster.Time.Advance(AddonManager.WhileHolding);

        await Round(_first);
        await Round(_second);

        Assert.Equal([$"PUT {AddonLease.Path}", $"GET {AddonNames.RecordPath}", $"GET {AddonLease.Path}"], _cluster.Server.Requests);
        Assert.Equal(versions, new[] { A, B, C }.Select(o => _cluster.Server.ResourceVersion(o.Path)));
        Assert.Equal(recordVersion, _cluster.Server.ResourceVersion(AddonNames.RecordPath));
        Assert.Equal("2030-03-14T09:00:05.000000Z", _cluster.Server.Get(AddonLease.Path)!["spec"]!["renewTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task When_the_holder_stops_renewing_the_other_takes_over_after_the_lease_duration_and_applies_only_what_changed()
    {
        Follow(A, B, C);
        await Round(_first);
        var changed = AddonConfigs.ConfigMap("b", "2");
        Follow(A, changed, C);
        _cluster.Server.Requests.Clear();

        _cluster.Time.Advance(TimeSpan.FromSeconds(29));
        await Round(_second);
        Assert.Empty(_cluster.Applied());
        Assert.Equal("waiting for controller-0 to apply the add-ons", _second.Detail);

        _cluster.Time.Advance(TimeSpan.FromSeconds(1));
        await Round(_second);

        Assert.Equal([changed.Path], _cluster.Applied());
        Assert.Equal("2", _cluster.Server.Get(changed.Path)!["data"]!["value"]!.GetValue<string>());
        var lease = _cluster.Lease();
        Assert.Equal(("controller-1", 1, _cluster.Time.GetUtcNow()), (lease.Holder, lease.Transitions, lease.AcquireTime!.Value));
        Assert.Equal((AddonHashes.OfSet([A, changed, C]), "controller-1"), (_cluster.Record().Set, _cluster.Record().By));
    }

    [Fact]
    public async Task A_holder_that_comes_back_after_another_took_over_applies_nothing()
    {
        Follow(A);
        await Round(_first);
        _cluster.Time.Advance(TimeSpan.FromSeconds(31));
        await Round(_second);
        Follow(A, B);
        _cluster.Server.Requests.Clear();

        Assert.Equal(AddonManager.WhileWaiting, await Round(_first));
        Assert.Equal("waiting for the add-on lease, which another controller took first", _first.Detail);
        Assert.Equal(AddonManager.WhileWaiting, await Round(_first));
        Assert.Equal("waiting for controller-1 to apply the add-ons", _first.Detail);

        Assert.Empty(_cluster.Applied());
        Assert.Equal("controller-1", _cluster.Lease().Holder);
    }

    [Fact]
    public async Task An_object_the_set_dropped_is_deleted_and_leaves_the_record()
    {
        Follow(A, B, C);
        await Round(_first);
        Follow(A, C);
        _cluster.Server.Requests.Clear();
        _cluster.Time.Advance(AddonManager.WhileHolding);

        await Round(_first);

        Assert.Contains($"DELETE {B.Path}", _cluster.Server.Requests);
        Assert.Null(_cluster.Server.Get(B.Path));
        Assert.Empty(_cluster.Applied());
        Assert.Equal([A.Path, C.Path], _cluster.Record().Objects.Keys);
        Assert.Equal(AddonHashes.OfSet([A, C]), _cluster.Record().Set);
    }

    [Fact]
    public async Task An_object_gone_already_counts_as_deleted()
    {
        Follow(A, B);
        await Round(_first);
        _cluster.Server.Intercept = (method, path) => method == "DELETE" && path == B.Path
            ? FakeApiServer.StatusAnswer(HttpStatusCode.NotFound, "NotFound", "\"b\" not found")
            : null;
        Follow(A);
        _cluster.Time.Advance(AddonManager.WhileHolding);

        await Round(_first);

        Assert.Equal(AddonHashes.OfSet([A]), _cluster.Record().Set);
    }

    [Fact]
    public async Task A_refused_apply_is_kept_for_the_health_detail_and_the_next_round_applies_only_what_is_missing()
    {
        Follow(A, B, C);
        _cluster.Server.Intercept = (method, path) => method == "PATCH" && path == B.Path
            ? FakeApiServer.StatusAnswer(HttpStatusCode.Forbidden, "Forbidden",
                "configmaps \"b\" is forbidden: User \"kubes:addon-manager\" cannot patch resource \"configmaps\"")
            : null;

        await Round(_first);

        Assert.Equal($"PATCH {B.Path} answered 403: configmaps \"b\" is forbidden: User \"kubes:addon-manager\" cannot patch resource \"configmaps\"",
            _first.Detail);
        Assert.Equal("", _cluster.Record().Set);
        Assert.Equal([A.Path], _cluster.Record().Objects.Keys);

        _cluster.Server.Intercept = null;
        _cluster.Server.Requests.Clear();
        _cluster.Time.Advance(AddonManager.WhileHolding);
        await Round(_first);

        Assert.Equal([B.Path, C.Path], _cluster.Applied());
        Assert.Equal(AddonHashes.OfSet([A, B, C]), _cluster.Record().Set);
    }

    [Fact]
    public async Task A_long_round_records_its_progress_after_every_batch()
    {
        var objects = Enumerable.Range(0, AddonApplier.BatchSize + 3).Select(i => AddonConfigs.ConfigMap($"o{i}")).ToArray();
        Follow(objects);
        _cluster.Server.Intercept = (method, path) => method == "PATCH" && path == objects[^1].Path
            ? FakeApiServer.StatusAnswer(HttpStatusCode.InternalServerError, "InternalError", "etcdserver: request timed out")
            : null;

        await Round(_first);

        Assert.Equal(AddonApplier.BatchSize + 2, _cluster.Record().Objects.Count);
        Assert.Equal(2, _cluster.Server.Requests.Count(r => r.StartsWith($"PATCH {AddonNames.RecordPath}", StringComparison.Ordinal)));
        Assert.Contains("answered 500: etcdserver: request timed out", _first.Detail);
    }

    [Fact]
    public async Task The_holder_stops_applying_at_once_when_another_controller_took_the_lease_mid_round()
    {
        Follow(A, B, C);
        _cluster.Server.Intercept = (method, path) =>
        {
            if (method == "PATCH" && path == B.Path)
            {
                // The apply is slow: the lease is due for renewal, and meanwhile another controller wrote it.
                _cluster.Time.Advance(AddonLeaseElection.RenewAfter);
                _cluster.Server.Put(AddonLease.Path, JsonNode.Parse(new AddonLease("controller-1", _cluster.Time.GetUtcNow(),
                    _cluster.Time.GetUtcNow(), 30, 1).ToJson())!.AsObject());
            }

            return null;
        };

        Assert.Equal(AddonManager.WhileWaiting, await Round(_first));

        Assert.Equal([A.Path, B.Path], _cluster.Applied());
        Assert.Equal("stopped applying: the add-on lease was lost", _first.Detail);
        Assert.Equal("controller-1", _cluster.Lease().Holder);
        Assert.DoesNotContain(_cluster.Server.Requests, r => r.StartsWith($"PATCH {AddonNames.RecordPath}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_controller_that_loses_the_race_to_create_the_lease_applies_nothing()
    {
        Follow(A);
        _cluster.Server.Intercept = (method, path) =>
        {
            if (method == "POST" && path == AddonLease.Collection)
                _cluster.Server.Put(AddonLease.Path, JsonNode.Parse(new AddonLease("controller-1", _cluster.Time.GetUtcNow(),
                    _cluster.Time.GetUtcNow(), 30, 0).ToJson())!.AsObject());
            return null;
        };

        Assert.Equal(AddonManager.WhileWaiting, await Round(_first));

        Assert.Empty(_cluster.Applied());
        Assert.Equal("waiting for the add-on lease, which another controller took first", _first.Detail);
    }

    [Fact]
    public async Task An_apiserver_that_does_not_answer_is_the_detail_until_a_round_succeeds()
    {
        Follow(A);
        _cluster.Server.Intercept = (_, _) => throw new HttpRequestException("Connection refused (10.0.0.20:6443)");

        await Round(_first);

        Assert.Contains("got no answer: Connection refused (10.0.0.20:6443)", _first.Detail);

        _cluster.Server.Intercept = null;
        await Round(_first);

        Assert.Equal(AddonHashes.OfSet([A]), _cluster.Record().Set);
    }

    [Fact]
    public async Task A_manager_never_given_add_ons_makes_no_request()
    {
        Assert.Equal(AddonManager.WhileWaiting, await Round(_first));

        Assert.Empty(_cluster.Server.Requests);
    }

    [Fact]
    public async Task Running_in_the_background_it_applies_as_soon_as_it_is_given_the_add_ons()
    {
        await _first.StartAsync(CancellationToken.None);
        try
        {
            _first.Follow(AddonConfigs.Layout("controller-0", A));

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (_cluster.Record().Set != AddonHashes.OfSet([A]) && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(AddonHashes.OfSet([A]), _cluster.Record().Set);

            _first.Follow(AddonConfigs.Layout("controller-0", A, B));
            deadline = DateTime.UtcNow.AddSeconds(10);
            while (_cluster.Record().Set != AddonHashes.OfSet([A, B]) && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.Equal(AddonHashes.OfSet([A, B]), _cluster.Record().Set);
        }
        finally
        {
            await _first.StopAsync(CancellationToken.None);
        }
    }
}
