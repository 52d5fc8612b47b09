using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeScheduler;

/// <summary>
/// A controller's kube-scheduler: downloaded and verified → its configuration and kubeconfig, owner-only → its unit →
/// started (restarted when a file it reads changes) → healthy when its <c>/healthz</c> says ok. One of the three holds the
/// leader lease at a time.
/// </summary>
public sealed class KubeSchedulerComponent(AgentPaths paths, PkiFiles pki, StepFactory steps, ControlPlaneHealthz health) : IComponent
{
    public string Name => ComponentNames.KubeScheduler;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new KubeSchedulerLayout(config, paths, pki);
        return
        [
            .. steps.Program(layout.Artifact, "kube-scheduler"),
            steps.RenderOwnerOnly("render-kube-scheduler-config", layout.ConfigFile, KubeSchedulerConfigFile.Render(layout)),
            steps.RenderOwnerOnly("render-kube-scheduler-kubeconfig", layout.KubeconfigFile, KubeSchedulerConfigFile.RenderKubeconfig(layout)),
            .. steps.Service(KubeSchedulerUnit.Build(layout), layout.FilesItReads),
        ];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken)
    {
        var layout = new KubeSchedulerLayout(config, paths, pki);
        return health.CheckAsync(Name, layout.Port, cancellationToken);
    }
}
