using Kubes.Agent.Components;
using Kubes.Agent.Configuration;
using Kubes.Agent.Steps;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Components;

/// <summary>The generic installer on components that record what happens to them (as the control plane's three will be).</summary>
public sealed class RoleInstallerTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly List<string> _applied = [];

    public void Dispose() => _root.Dispose();

    private sealed class RecordingStep(string name, List<string> applied) : IInstallStep
    {
        private bool _done;

        public string Name => name;

        public string InputHash => name;

        public Task<bool> IsDoneAsync(CancellationToken cancellationToken) => Task.FromResult(_done);

        public Task ApplyAsync(CancellationToken cancellationToken)
        {
            applied.Add(name);
            _done = true;
            return Task.CompletedTask;
        }
    }

    private sealed class FakeComponent(string name, List<string> applied, Func<ComponentHealth> health) : IComponent
    {
        private readonly IReadOnlyList<IInstallStep> _steps =
            [new RecordingStep($"install-{name}", applied), new RecordingStep($"start-{name}", applied)];

        public string Name => name;

        public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config) => _steps;

        public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) => Task.FromResult(health());
    }

    /// <summary>A component holding a credential of its own, due at <paramref name="due"/> (none yet: null).</summary>
    private sealed class RenewingComponent(string name, List<string> applied, DateTimeOffset? due) : IComponent, IRenewsCredential
    {
        private readonly FakeComponent _inner = new(name, applied, Healthy);

        public string Name => name;

        public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config) => _inner.PlanSteps(config);

        public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
            _inner.CheckHealthAsync(config, cancellationToken);

        public DateTimeOffset? RenewalDue(RoleConfig config) => due;
    }

    private static readonly IReadOnlyDictionary<Role, IReadOnlyList<string>> ControlPlane = new Dictionary<Role, IReadOnlyList<string>>
    {
        [Role.Controller] = [ComponentNames.KubeApiServer, ComponentNames.KubeControllerManager, ComponentNames.KubeScheduler],
    };

    private RoleInstaller Installer(params IComponent[] components) => new(new RoleComponents(components, ControlPlane),
        new StepRunner(new StepJournal(new AgentPaths(_root.Path).JournalFile, TimeProvider.System), NullLogger<StepRunner>.Instance),
        TimeProvider.System, NullLogger<RoleInstaller>.Instance);

    private static ComponentHealth Healthy() => new() { Healthy = true, Detail = "ok" };

    private static readonly RoleConfig Controller = new() { Role = Role.Controller, Name = "controller-0" };

    [Fact]
    public async Task The_components_steps_run_in_the_roles_order()
    {
        // Registered in another order than the role lists them.
        var installer = Installer(
            new FakeComponent(ComponentNames.KubeScheduler, _applied, Healthy),
            new FakeComponent(ComponentNames.KubeApiServer, _applied, Healthy),
            new FakeComponent(ComponentNames.KubeControllerManager, _applied, Healthy));

        await installer.InstallAsync(Controller, _ => Task.CompletedTask, CancellationToken.None);

        Assert.Equal(
        [
            "install-kube-apiserver", "start-kube-apiserver", "install-kube-controller-manager", "start-kube-controller-manager",
            "install-kube-scheduler", "start-kube-scheduler",
        ], _applied);
    }

    /// <summary>A component whose program the coordinator had no copy of; <paramref name="invalid"/>: one whose section is
    /// missing as well.</summary>
    private sealed class UnprovidedComponent(string name, bool invalid = false) : IComponent
    {
        public string Name => name;

        public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config) => invalid
            ? throw new Kubes.Agent.Conversation.InvalidRoleConfigException($"the {name} role configuration has no section")
            : throw new Kubes.Agent.Conversation.ArtifactNotProvidedException($"the {name} role configuration has no '{name}' artifact");

        public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) => Task.FromResult(Healthy());
    }

    [Fact]
    public async Task The_components_before_one_whose_program_is_not_provided_are_installed_and_the_rest_wait()
    {
        var installer = Installer(
            new FakeComponent(ComponentNames.KubeApiServer, _applied, Healthy),
            new UnprovidedComponent(ComponentNames.KubeControllerManager),
            new FakeComponent(ComponentNames.KubeScheduler, _applied, Healthy));

        var unprovided = await Assert.ThrowsAsync<Kubes.Agent.Conversation.ArtifactNotProvidedException>(
            () => installer.InstallAsync(Controller, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Contains("'kube-controller-manager' artifact", unprovided.Message);
        Assert.Equal(["install-kube-apiserver", "start-kube-apiserver"], _applied);
    }

    [Fact]
    public async Task A_configuration_the_agent_must_not_act_on_is_refused_with_nothing_installed_even_after_an_unprovided_program()
    {
        var installer = Installer(
            new FakeComponent(ComponentNames.KubeApiServer, _applied, Healthy),
            new UnprovidedComponent(ComponentNames.KubeControllerManager),
            new UnprovidedComponent(ComponentNames.KubeScheduler, invalid: true));

        await Assert.ThrowsAsync<Kubes.Agent.Conversation.InvalidRoleConfigException>(
            () => installer.InstallAsync(Controller, _ => Task.CompletedTask, CancellationToken.None));

        Assert.Empty(_applied);
    }

    [Fact]
    public async Task The_role_is_healthy_only_when_every_component_is_and_each_says_how_it_is()
    {
        var installer = Installer(
            new FakeComponent(ComponentNames.KubeApiServer, _applied, Healthy),
            new FakeComponent(ComponentNames.KubeControllerManager, _applied,
                () => new ComponentHealth { Healthy = false, Detail = "https://127.0.0.1:10257/healthz: connection refused" }),
            new FakeComponent(ComponentNames.KubeScheduler, _applied, () => throw new IOException("the CA file is gone")));

        var health = await installer.CheckHealthAsync(Controller, CancellationToken.None);

        Assert.False(health.Role.Healthy);
        Assert.Equal(
        [
            (ComponentNames.KubeApiServer, true),
            (ComponentNames.KubeControllerManager, false),
            (ComponentNames.KubeScheduler, false),
        ], health.Components.Select(c => (c.Component, c.Healthy)));
        Assert.Equal("the health check failed: the CA file is gone", health.Components[2].Detail);
        Assert.Equal("kube-apiserver: ok; kube-controller-manager: https://127.0.0.1:10257/healthz: connection refused; " +
                     "kube-scheduler: the health check failed: the CA file is gone", health.Role.Detail);
    }

    [Fact]
    public async Task Every_component_healthy_is_a_healthy_role()
    {
        var installer = Installer(
            new FakeComponent(ComponentNames.KubeApiServer, _applied, Healthy),
            new FakeComponent(ComponentNames.KubeControllerManager, _applied, Healthy),
            new FakeComponent(ComponentNames.KubeScheduler, _applied, Healthy));

        Assert.True((await installer.CheckHealthAsync(Controller, CancellationToken.None)).Role.Healthy);
    }

    [Fact]
    public async Task A_role_without_components_cannot_be_installed()
    {
        var installer = Installer(
            new FakeComponent(ComponentNames.KubeApiServer, _applied, Healthy),
            new FakeComponent(ComponentNames.KubeControllerManager, _applied, Healthy),
            new FakeComponent(ComponentNames.KubeScheduler, _applied, Healthy));

        Assert.True(installer.CanInstall(Role.Controller));
        Assert.False(installer.CanInstall(Role.Node));
        var started = new List<string>();
        await installer.InstallAsync(new RoleConfig { Role = Role.Node }, step => { started.Add(step.Name); return Task.CompletedTask; },
            CancellationToken.None);
        Assert.Empty(started);
        Assert.Empty(_applied);
    }

    [Fact]
    public void The_role_is_due_when_the_earliest_credential_its_components_hold_is_due()
    {
        var soon = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Null(Installer(
            new FakeComponent(ComponentNames.KubeApiServer, _applied, Healthy),
            new RenewingComponent(ComponentNames.KubeControllerManager, _applied, null),
            new FakeComponent(ComponentNames.KubeScheduler, _applied, Healthy)).RenewalDue(Controller));
        Assert.Equal(soon, Installer(
            new RenewingComponent(ComponentNames.KubeApiServer, _applied, soon.AddDays(3)),
            new RenewingComponent(ComponentNames.KubeControllerManager, _applied, null),
            new RenewingComponent(ComponentNames.KubeScheduler, _applied, soon)).RenewalDue(Controller));
    }
}
