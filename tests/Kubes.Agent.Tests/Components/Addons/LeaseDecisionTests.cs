using System.Text.Json.Nodes;
using Kubes.Agent.Components.Addons;

namespace Kubes.Agent.Tests.Components.Addons;

public sealed class LeaseDecisionTests
{
    private static readonly DateTimeOffset Now = new(2030, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static AddonLease HeldBy(string holder, DateTimeOffset renewed, int transitions = 2) =>
        new(holder, renewed.AddMinutes(-10), renewed, 30, transitions, "4711");

    [Fact]
    public void No_lease_is_created_with_this_controller_as_its_holder()
    {
        var create = Assert.IsType<LeaseDecision.Create>(LeaseDecision.For(null, "controller-0", Now));

        Assert.Equal(new AddonLease("controller-0", Now, Now, 30, 0), create.Lease);
    }

    [Fact]
    public void A_lease_another_controller_renewed_within_its_duration_is_waited_for()
    {
        var wait = Assert.IsType<LeaseDecision.Wait>(LeaseDecision.For(HeldBy("controller-1", Now.AddSeconds(-29)), "controller-0", Now));

        Assert.Equal("controller-1", wait.Holder);
        Assert.Equal(Now.AddSeconds(1), wait.Until);
    }

    [Theory]
    [InlineData(-30)]
    [InlineData(-300)]
    public void A_lease_whose_holder_stopped_renewing_is_taken_over_from_the_version_read(int renewedSecondsAgo)
    {
        var takeOver = Assert.IsType<LeaseDecision.TakeOver>(
            LeaseDecision.For(HeldBy("controller-1", Now.AddSeconds(renewedSecondsAgo)), "controller-0", Now));

        Assert.Equal("controller-1", takeOver.From);
        Assert.Equal(new AddonLease("controller-0", Now, Now, 30, 3, "4711"), takeOver.Lease);
    }

    [Fact]
    public void A_lease_without_holder_or_renewal_is_taken_over() =>
        Assert.IsType<LeaseDecision.TakeOver>(LeaseDecision.For(new AddonLease("", null, null, 0, 0, "9"), "controller-0", Now));

    [Fact]
    public void A_lease_this_controller_holds_is_renewed_keeping_its_acquire_time_and_transitions()
    {
        var held = HeldBy("controller-0", Now.AddSeconds(-5));

        var renew = Assert.IsType<LeaseDecision.Renew>(LeaseDecision.For(held, "controller-0", Now));

        Assert.Equal(held with { RenewTime = Now }, renew.Lease);
    }

    [Fact]
    public void The_lease_is_written_as_a_coordination_v1_lease_with_micro_times()
    {
        var lease = new AddonLease("controller-0", Now, Now.AddTicks(1234567), 30, 1, "42");

        var json = JsonNode.Parse(lease.ToJson())!.AsObject();

        Assert.Equal("coordination.k8s.io/v1", json["apiVersion"]!.GetValue<string>());
        Assert.Equal("Lease", json["kind"]!.GetValue<string>());
        Assert.Equal("kubes-addons", json["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("kube-system", json["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("42", json["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("2030-03-14T09:26:53.000000Z", json["spec"]!["acquireTime"]!.GetValue<string>());
        Assert.Equal("2030-03-14T09:26:53.123456Z", json["spec"]!["renewTime"]!.GetValue<string>());
        Assert.Equal(30, json["spec"]!["leaseDurationSeconds"]!.GetValue<int>());
        Assert.Equal(1, json["spec"]!["leaseTransitions"]!.GetValue<int>());
        Assert.Equal(lease with { RenewTime = Now.AddTicks(1234560) }, AddonLease.Parse(json));
    }

    [Fact]
    public void A_new_lease_names_no_resource_version() =>
        Assert.Null(JsonNode.Parse(new AddonLease("controller-0", Now, Now, 30, 0).ToJson())!["metadata"]!["resourceVersion"]);
}
