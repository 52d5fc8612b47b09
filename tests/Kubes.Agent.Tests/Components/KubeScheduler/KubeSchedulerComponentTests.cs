using Kubes.Agent.Components.KubeScheduler;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.KubeScheduler;

public sealed class KubeSchedulerComponentTests
{
    private static readonly Artifact[] Artifacts = [NodeConfigs.Artifact(ArtifactNames.KubeScheduler, "1.36.3")];

    private static KubeSchedulerLayout Aws(RoleConfig? config = null) =>
        new(config ?? ControllerConfigs.Controller("controller-0", Artifacts), new AgentPaths("/"), new PkiFiles(new AgentPaths("/")));

    [Fact]
    public void Its_unit_is_the_golden_file() =>
        Golden.AssertMatches("kube-scheduler.service", KubeSchedulerUnit.Build(Aws()).Render());

    [Fact]
    public void Its_configuration_is_the_golden_file() =>
        Golden.AssertMatches("kube-scheduler-config.yaml", KubeSchedulerConfigFile.Render(Aws()));

    [Fact]
    public void Its_kubeconfig_reaches_its_own_controllers_apiserver_with_its_client_certificate() =>
        Golden.AssertMatches("kube-scheduler-kubeconfig.yaml", KubeSchedulerConfigFile.RenderKubeconfig(Aws()));

    [Fact]
    public void The_operators_flags_are_added_to_the_command_line()
    {
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        config.KubeScheduler.ExtraArgs.Add(new Flag { Name = "v", Value = "2" });

        Assert.Contains("--v=2", KubeSchedulerUnit.Build(Aws(config)).ExecStart);
    }

    [Theory]
    [InlineData("section")]
    [InlineData("certificate")]
    [InlineData("artifact")]
    public void A_configuration_lacking_what_it_needs_is_refused(string lacking)
    {
        var config = ControllerConfigs.Controller("controller-0", Artifacts);
        switch (lacking)
        {
            case "section": config.KubeScheduler = null; break;
            case "certificate": config.Certificates.Remove(config.Certificates.Single(c => c.FileStem == "scheduler")); break;
            case "artifact": config.Artifacts.Clear(); break;
        }

        var error = lacking == "artifact"
            ? (Exception)Assert.Throws<ArtifactNotProvidedException>(() => Aws(config))
            : Assert.Throws<InvalidRoleConfigException>(() => Aws(config));

        Assert.Contains(lacking == "artifact" ? "'kubes artifacts import DIR'" : "the coordinator's RoleConfig must be fixed", error.Message);
    }
}
