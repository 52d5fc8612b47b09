using Kubes.Agent.Components;
using Kubes.Agent.Components.Etcd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Tests.Components.Etcd;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Components;

public sealed class RoleComponentsTests
{
    private static EtcdComponent Etcd()
    {
        var paths = new AgentPaths("/srv/i-1");
        return EtcdClusterFixture.Component(paths, new ProcessServiceManager(paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance));
    }

    /// <summary>A component that is only its name, to see how roles are put together.</summary>
    private sealed class Named(string name) : IComponent
    {
        public string Name => name;

        public IReadOnlyList<Kubes.Agent.Steps.IInstallStep> PlanSteps(RoleConfig config) => [];

        public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
            Task.FromResult(new ComponentHealth { Component = name, Healthy = true });
    }

    private static IReadOnlyList<IComponent> EveryInstalledComponent() =>
        [.. RoleComponents.Installed.Values.SelectMany(names => names).Distinct().Select(name => new Named(name))];

    [Fact]
    public void The_etcd_role_is_etcd_a_node_is_containerd_then_the_cni_plugins_and_the_roles_without_components_yet_are_empty()
    {
        var roles = new RoleComponents(EveryInstalledComponent());

        Assert.Equal([ComponentNames.Etcd], roles.For(Role.Etcd).Select(c => c.Name));
        Assert.Equal([ComponentNames.Containerd, ComponentNames.Cni], roles.For(Role.Node).Select(c => c.Name));
        Assert.Empty(roles.For(Role.Controller));
        Assert.Empty(roles.For(Role.Bastion));
    }

    [Fact]
    public void A_role_naming_a_component_that_is_not_registered_is_a_start_up_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new RoleComponents([],
            new Dictionary<Role, IReadOnlyList<string>> { [Role.Etcd] = [ComponentNames.Etcd] }));

        Assert.Contains("the Etcd role lists the component 'etcd', which is not registered", error.Message);
    }

    [Fact]
    public void Two_components_of_one_name_are_a_start_up_error() =>
        Assert.Throws<InvalidOperationException>(() => new RoleComponents([Etcd(), Etcd()],
            new Dictionary<Role, IReadOnlyList<string>> { [Role.Etcd] = [ComponentNames.Etcd] }));

    [Fact]
    public void Every_component_a_role_lists_is_a_contract_name() =>
        Assert.All(RoleComponents.Installed.Values.SelectMany(names => names), name =>
            Assert.Contains(name, typeof(ComponentNames).GetFields().Select(f => (string)f.GetValue(null)!)));
}
