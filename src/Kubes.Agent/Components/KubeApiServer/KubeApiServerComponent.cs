using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>
/// A controller's kube-apiserver: downloaded and verified → its service-account key made here, its public half published
/// (every apiserver gets every controller's at its next re-sync) → its authentication, audit and encryption files,
/// owner-only → its unit → started (restarted when a file it reads at start changes) → healthy when <c>/livez</c> and
/// <c>/readyz</c> say ok.
/// </summary>
public sealed class KubeApiServerComponent(
    AgentPaths paths,
    PkiFiles pki,
    StepFactory steps,
    IRegistrarChannel channel,
    AgentSession session,
    KubeApiServerHealthCheck health) : IComponent
{
    public string Name => ComponentNames.KubeApiServer;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new KubeApiServerLayout(config, paths, pki);
        return
        [
            .. steps.Program(layout.Artifact, "kube-apiserver"),
            new ServiceAccountKeyStep(layout.ServiceAccountKey),
            new ServiceAccountKeyPublishStep(layout, paths.StateDir, channel, session),
            new RenderFileStep("render-kube-apiserver-service-account-keys", layout.ServiceAccountPublicKeysFile,
                () => KubeApiServerConfigFiles.RenderServiceAccountPublicKeys(layout, OwnPublicKey(layout)), AtomicFile.OwnerOnly),
            steps.RenderOwnerOnly("render-kube-apiserver-authentication", layout.AuthenticationConfigFile, KubeApiServerConfigFiles.RenderAuthentication()),
            steps.RenderOwnerOnly("render-kube-apiserver-audit-policy", layout.AuditPolicyFile, KubeApiServerConfigFiles.RenderAudit()),
            steps.RenderOwnerOnly("render-kube-apiserver-encryption", layout.EncryptionConfigFile, KubeApiServerConfigFiles.RenderEncryption(layout)),
            .. steps.Service(KubeApiServerUnit.Build(layout), layout.FilesItReads),
        ];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
        health.CheckAsync(new KubeApiServerLayout(config, paths, pki), cancellationToken);

    private static string OwnPublicKey(KubeApiServerLayout layout) =>
        layout.ServiceAccountKey.ReadPublicKey()
        ?? throw new InvalidOperationException($"the service-account key {layout.ServiceAccountKey.PrivateKeyFile} is missing or unreadable");
}
