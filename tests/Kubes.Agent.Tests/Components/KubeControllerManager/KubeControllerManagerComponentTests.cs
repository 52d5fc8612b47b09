using Kubes.Agent.Components.KubeControllerManager;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.KubeControllerManager;

public sealed class KubeControllerManagerComponentTests
{
    private static readonly Artifact[] Artifacts = [NodeConfigs.Artifact(ArtifactNames.KubeControllerManager, "1.36.3")];

    private static KubeControllerManagerLayout Aws(RoleConfig? config = null) =>
        new(config ?? ControllerConfigs.Controller("controller-0", Artifacts), new AgentPaths("/"), new PkiFiles(new AgentPaths("/")));

    [Fact]
    public void Its_unit_is_the_golden_file() =>
        Golden.AssertMatches("kube-controller-manager.service", KubeControllerManagerUnit.Build(Aws()).Render());

    [Fact]
    public void Its_kubeconfig_reaches_its_own_controllers_apiserver_with_its_client_certificate() =>
        Golden.AssertMatches("controller-manager.conf", KubeControllerManagerComponent.RenderKubeconfig(Aws()));

    [Fact]
    public void It_gets_no_cluster_signing_key_and_serves_on_loopback_only()
    {
        var flags = KubeControllerManagerUnit.Build(Aws()).ExecStart;

        Assert.DoesNotContain(flags, flag => flag.StartsWith("--cluster-signing", StringComparison.Ordinal));
        Assert.Contains("--bind-address=127.0.0.1", flags);
        Assert.Contains("--service-account-private-key-file=/etc/kubes/pki/service-account.key", flags);
    }

    [Fact]
    public void The_operators_flags_are_added_to_the_command_line()
    {
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        config.KubeControllerManager.ExtraArgs.Add(new Flag { Name = "node-monitor-grace-period", Value = "50s" });

        Assert.Contains("--node-monitor-grace-period=50s", KubeControllerManagerUnit.Build(Aws(config)).ExecStart);
    }

    [Theory]
    [InlineData("section")]
    [InlineData("pods")]
    [InlineData("certificate")]
    [InlineData("artifact")]
    [InlineData("address")]
    public void A_configuration_lacking_what_it_needs_is_refused(string lacking)
    {
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        switch (lacking)
        {
            case "section": config.KubeControllerManager = null; break;
            case "pods": config.KubeControllerManager.ClusterCidr = ""; break;
            case "certificate": config.Certificates.Remove(config.Certificates.Single(c => c.FileStem == "controller-manager")); break;
            case "artifact": config.Artifacts.Clear(); break;
            case "address": config.PrivateIp = "controller-0"; break;
        }

        var error = lacking == "artifact"
            ? (Exception)Assert.Throws<ArtifactNotProvidedException>(() => Aws(config))
            : Assert.Throws<InvalidRoleConfigException>(() => Aws(config));

        Assert.Contains(lacking == "artifact" ? "'kubes artifacts import DIR'" : "the coordinator's RoleConfig must be fixed", error.Message);
    }
}
