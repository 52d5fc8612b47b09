using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Controller.UserData;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// An instance's user-data at launch: bootstrap.sh with a fresh single-use join token (only its hash is stored),
/// where to download the agent and how to reach the coordinator.
/// </summary>
public sealed class AgentBootstrap(
    ClusterTopology topology,
    JoinTokenStore tokens,
    MirroredArtifact agent,
    IArtifactUrls urls,
    CoordinatorEndpoint coordinator,
    MailboxEndpoint? mailbox,
    TimeSpan tokenLifetime,
    string rootDefault = "/") : IInstanceBootstrap
{
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(2);

    public async Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken)
    {
        var token = await tokens.IssueForSlotAsync(slot.Role, slot.Index, tokenLifetime, cancellationToken);
        var spec = topology.Spec;
        return UserDataRenderer.Render(new UserDataSettings
        {
            Cluster = spec.Name,
            Role = slot.Role,
            Slot = slot.Index,
            JoinToken = token,
            AgentUrl = urls.UrlOf(agent),
            AgentSha256 = agent.Sha256,
            Channel = spec.AgentChannel,
            CoordinatorUrl = coordinator.Url,
            CoordinatorCaSha256 = coordinator.CaSha256,
            CoordinatorCa = coordinator.CaBase64Der,
            MailboxBucket = spec.AgentChannel == AgentChannel.S3 ? mailbox?.Bucket ?? "" : "",
            MailboxPrefix = spec.AgentChannel == AgentChannel.S3 ? mailbox?.Prefix ?? "" : "",
            MailboxRegion = spec.AgentChannel == AgentChannel.S3 ? mailbox?.Region ?? "" : "",
            MailboxEndpoint = spec.AgentChannel == AgentChannel.S3 ? mailbox?.Endpoint ?? "" : "",
            RootDefault = rootDefault,
        });
    }

    public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            "Auto Scaling nodes share one user-data, so a single-use join token cannot prove which instance is which; " +
            "they need the STS GetCallerIdentity proof, which is not built yet. Set spec.nodes.autoScaling: false.");
}
