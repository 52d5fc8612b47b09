using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Kubelet;

/// <summary>
/// A node's kubelet: downloaded and verified → its configuration and kubeconfig, owner-only → its unit → started
/// (restarted when a file it reads changes, a renewed certificate included) → healthy when its healthz says ok. It
/// registers its Node itself, as <c>system:node:&lt;name&gt;</c>, through the HA endpoint.
/// </summary>
public sealed class KubeletComponent(AgentPaths paths, PkiFiles pki, StepFactory steps, KubeletHealthCheck health) : IComponent
{
    public string Name => ComponentNames.Kubelet;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new KubeletLayout(config, paths, pki);
        return
        [
            .. steps.Program(layout.Artifact, "kubelet"),
            steps.RenderOwnerOnly("render-kubelet-config", layout.ConfigFile, KubeletConfigFile.Render(layout)),
            steps.RenderOwnerOnly("render-kubelet-kubeconfig", layout.KubeconfigFile, KubeletConfigFile.RenderKubeconfig(layout)),
            .. steps.Service(KubeletUnit.Build(layout), layout.FilesItReads),
        ];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken)
    {
        _ = new KubeletLayout(config, paths, pki);
        return health.CheckAsync(cancellationToken);
    }
}
