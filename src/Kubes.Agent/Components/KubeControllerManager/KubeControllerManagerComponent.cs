using Kubes.Agent.ConfigFiles;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeControllerManager;

/// <summary>
/// A controller's kube-controller-manager: downloaded and verified → its kubeconfig, owner-only → its unit → started
/// (restarted when a file it reads changes, a renewed certificate included) → healthy when its <c>/healthz</c> says ok.
/// One of the three holds the leader lease at a time; the others stand by and are healthy too.
/// </summary>
public sealed class KubeControllerManagerComponent(AgentPaths paths, PkiFiles pki, StepFactory steps, ControlPlaneHealthz health) : IComponent
{
    public const string User = "system:kube-controller-manager";

    public string Name => ComponentNames.KubeControllerManager;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new KubeControllerManagerLayout(config, paths, pki);
        return
        [
            .. steps.Program(layout.Artifact, "kube-controller-manager"),
            steps.RenderOwnerOnly("render-kube-controller-manager-kubeconfig", layout.KubeconfigFile, RenderKubeconfig(layout)),
            .. steps.Service(KubeControllerManagerUnit.Build(layout), layout.FilesItReads),
        ];
    }

    public static string RenderKubeconfig(KubeControllerManagerLayout layout) => ConfigFile.ToYaml(
        Kubeconfig.ForClientCertificate(layout.Config.Cluster, layout.ApiServer, layout.CaFile, User, layout.CertificateFile, layout.KeyFile),
        ConfigFileJsonContext.Default.Kubeconfig);

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken)
    {
        var layout = new KubeControllerManagerLayout(config, paths, pki);
        return health.CheckAsync(Name, layout.Port, cancellationToken);
    }
}
