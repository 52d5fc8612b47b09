using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeProxy;

/// <summary>
/// A node's kube-proxy: downloaded and verified → its configuration and kubeconfig, owner-only → its unit → started →
/// healthy when its healthz answers.
/// </summary>
public sealed class KubeProxyComponent(AgentPaths paths, PkiFiles pki, StepFactory steps, KubeProxyHealthCheck health) : IComponent
{
    public string Name => ComponentNames.KubeProxy;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new KubeProxyLayout(config, paths, pki);
        return
        [
            .. steps.Program(layout.Artifact, "kube-proxy"),
            steps.RenderOwnerOnly("render-kube-proxy-config", layout.ConfigFile, KubeProxyConfigFile.Render(layout)),
            steps.RenderOwnerOnly("render-kube-proxy-kubeconfig", layout.KubeconfigFile, KubeProxyConfigFile.RenderKubeconfig(layout)),
            .. steps.Service(KubeProxyUnit.Build(layout), layout.FilesItReads),
        ];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
        health.CheckAsync(new KubeProxyLayout(config, paths, pki), cancellationToken);
}
