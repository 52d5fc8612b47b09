using Kubes.Agent.Channels;
using Kubes.Agent.Conversation;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Steps;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.KubeApiServer;

/// <summary>
/// <c>publish-service-account-key</c>: the public half of this controller's service-account key, sent to the coordinator
/// (Certify, with the agent's credential), which records it for the slot and hands it to every apiserver at their next
/// re-sync. Done when the role configuration lists the key, or the coordinator has taken this very key (recorded in the
/// agent's state, until the configuration catches up).
/// </summary>
public sealed class ServiceAccountKeyPublishStep(KubeApiServerLayout layout, string stateDir, IRegistrarChannel channel, AgentSession session)
    : IInstallStep
{
    public string Name => "publish-service-account-key";

    private string AcceptedFile => Path.Join(stateDir, "service-account-key.accepted");

    public string InputHash => FileHash.OfInputs(layout.ServiceAccountKey.ReadPublicKey());

    public Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        if (layout.ServiceAccountKey.ReadPublicKey() is not { } own) return Task.FromResult(false);
        var listed = layout.ApiServer.ServiceAccountPublicKeys.Any(key => Same(key, own));
        var accepted = File.Exists(AcceptedFile) && Same(File.ReadAllText(AcceptedFile), own);
        return Task.FromResult(listed || accepted);
    }

    public async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var own = layout.ServiceAccountKey.ReadPublicKey()
                  ?? throw new InvalidOperationException($"the service-account key {layout.ServiceAccountKey.PrivateKeyFile} is missing or unreadable");
        var (instanceId, credential) = session.Current;
        await channel.CertifyAsync(
            new CertifyRequest { InstanceId = instanceId, AgentCredential = credential, ServiceAccountPublicKey = own },
            cancellationToken);
        AtomicFile.WriteAllText(AcceptedFile, own + "\n", AtomicFile.OwnerOnly);
    }

    private static bool Same(string a, string b) => a.Replace("\r\n", "\n").Trim() == b.Replace("\r\n", "\n").Trim();
}
