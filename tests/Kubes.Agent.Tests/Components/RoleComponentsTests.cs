using Kubes.Agent;
using Kubes.Agent.Components;
using Kubes.Agent.Components.Etcd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Tests.Components.Etcd;
using Kubes.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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

    [Fact]
    public void Every_role_has_its_components_in_install_order()
    {
        Assert.Equal([ComponentNames.Etcd, ComponentNames.Sshd], RoleComponents.Installed[Role.Etcd]);
        Assert.Equal([ComponentNames.Sshd, ComponentNames.OpenVpn], RoleComponents.Installed[Role.Bastion]);
        Assert.Equal([ComponentNames.Containerd, ComponentNames.Cni, ComponentNames.Kubelet, ComponentNames.KubeProxy, ComponentNames.Sshd],
            RoleComponents.Installed[Role.Node]);
        Assert.Equal([ComponentNames.KubeApiServer, ComponentNames.KubeControllerManager, ComponentNames.KubeScheduler, ComponentNames.Addons,
                ComponentNames.Sshd],
            RoleComponents.Installed[Role.Controller]);

        var roles = new RoleComponents([Etcd()], new Dictionary<Role, IReadOnlyList<string>> { [Role.Etcd] = [ComponentNames.Etcd] });
        Assert.Equal([ComponentNames.Etcd], roles.For(Role.Etcd).Select(c => c.Name));
        Assert.Empty(roles.For(Role.Controller));
    }

    [Fact]
    public void The_agents_own_registrations_make_every_role_it_installs()
    {
        using var ca = new TestCertificateAuthority();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddKubesAgent(new AgentConfig
        {
            Cluster = "demo", Role = "controller", RootDir = "/srv/i-1", Channel = "grpc", CoordinatorUrl = "https://127.0.0.1:7443",
            CoordinatorCaSha256 = CaFingerprint.Of(ca.Certificate.RawData), CoordinatorCa = Convert.ToBase64String(ca.Certificate.RawData),
        });
        using var host = builder.Build();

        var roles = host.Services.GetRequiredService<RoleComponents>();

        Assert.All(RoleComponents.Installed, role => Assert.Equal(role.Value, roles.For(role.Key).Select(c => c.Name)));
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
