using Kubes.Protos.Contract;
using System.Net;
using Kubes.Agent.Components.Addons;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Protos.V1;
using static Kubes.Agent.Tests.Components.Addons.AddonConfigs;

namespace Kubes.Agent.Tests.Components.Addons;

public sealed class AddonsComponentTests
{
    private readonly AddonControllers _cluster = new();
    private readonly RoleConfig _firstConfig = AddonConfigs.Controller("controller-0", A, B);
    private readonly RoleConfig _secondConfig = AddonConfigs.Controller("controller-1", A, B);

    private sealed record Controller(AddonsComponent Component, AddonManager Manager);

    private Controller NewController()
    {
        var manager = _cluster.Manager();
        return new Controller(new AddonsComponent(new PkiFiles(new AgentPaths("/")), manager, _cluster.Connector), manager);
    }

    /// <summary>Each controller's health check, then its manager's round: the first controller gets the lease.</summary>
    private async Task<(Controller First, Controller Second)> TwoControllersAsync()
    {
        var first = NewController();
        var second = NewController();
        await first.Component.CheckHealthAsync(_firstConfig, CancellationToken.None);
        await first.Manager.RoundAsync(CancellationToken.None);
        await second.Component.CheckHealthAsync(_secondConfig, CancellationToken.None);
        await second.Manager.RoundAsync(CancellationToken.None);
        return (first, second);
    }

    [Fact]
    public void It_installs_nothing_itself_and_refuses_a_configuration_without_add_ons()
    {
        var component = NewController().Component;
        var config = AddonConfigs.Controller("controller-0", A);

        Assert.Empty(component.PlanSteps(config));

        config.Addons = null;
        Assert.Throws<InvalidRoleConfigException>(() => component.PlanSteps(config));
    }

    [Fact]
    public async Task The_health_check_hands_the_manager_its_add_ons_and_is_healthy_on_every_controller_once_they_are_applied()
    {
        var (first, second) = await TwoControllersAsync();

        var healthy = await first.Component.CheckHealthAsync(_firstConfig, CancellationToken.None);
        Assert.True(healthy.Healthy, healthy.Detail);
        Assert.Equal($"2 objects applied (set {AddonHashes.OfSet([A, B])[..12]}, by controller-0)", healthy.Detail);
        Assert.True((await second.Component.CheckHealthAsync(_secondConfig, CancellationToken.None)).Healthy);
    }

    [Fact]
    public async Task Before_the_managers_first_round_it_is_waiting_for_it()
    {
        var component = NewController().Component;

        var health = await component.CheckHealthAsync(_firstConfig, CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.Equal("waiting for the add-on manager's first round", health.Detail);
    }

    [Fact]
    public async Task Until_the_set_is_applied_the_holder_says_why_and_the_others_whom_they_wait_for()
    {
        _cluster.Server.Intercept = (method, path) => method == "PATCH" && path == B.Path
            ? FakeApiServer.StatusAnswer(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable", "the server is currently unable to handle the request")
            : null;
        var (first, second) = await TwoControllersAsync();

        var holder = await first.Component.CheckHealthAsync(_firstConfig, CancellationToken.None);
        var other = await second.Component.CheckHealthAsync(_secondConfig, CancellationToken.None);

        Assert.False(holder.Healthy);
        Assert.Equal($"PATCH {B.Path} answered 503: the server is currently unable to handle the request", holder.Detail);
        Assert.False(other.Healthy);
        Assert.Equal("waiting for controller-0 to apply the add-ons", other.Detail);
    }

    [Fact]
    public async Task A_record_that_cannot_be_read_is_unhealthy_with_the_reason()
    {
        var component = NewController().Component;
        _cluster.Server.Intercept = (_, _) => FakeApiServer.StatusAnswer(HttpStatusCode.Forbidden, "Forbidden", "configmaps \"kubes-addons\" is forbidden");

        var health = await component.CheckHealthAsync(AddonConfigs.Controller("controller-0", A), CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.Equal($"the record of the applied add-ons cannot be read: GET {AddonNames.RecordPath} answered 403: configmaps \"kubes-addons\" is forbidden",
            health.Detail);
    }
}
