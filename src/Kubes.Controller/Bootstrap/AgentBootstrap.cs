using System.Collections.Concurrent;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Controller.UserData;

namespace Kubes.Controller.Bootstrap;

/// <summary>
/// An instance's user-data at launch: bootstrap.sh with a fresh single-use join token (only its hash is stored),
/// where to download the agent and how to reach the coordinator. The nodes of an Auto Scaling group share one user-data,
/// which holds no token: they prove who they are with an STS GetCallerIdentity signed by their instance profile.
/// </summary>
public sealed class AgentBootstrap(
    ClusterTopology topology,
    JoinTokenStore tokens,
    MirroredArtifact agent,
    IArtifactUrls urls,
    CoordinatorEndpoint coordinator,
    MailboxEndpoint? mailbox,
    TimeSpan tokenLifetime,
    string rootDefault = "/",
    StsProofEndpoint? sts = null) : IInstanceBootstrap
{
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromHours(2);

    // The token of each user-data rendered but not yet launched, until the launch names its instance.
    private readonly ConcurrentDictionary<string, string> _unboundTokens = new(StringComparer.Ordinal);

    /// <summary>
    /// The token is issued for the slot first: the instance id exists only once RunInstances returns, and
    /// <see cref="LaunchedAsync"/> then binds it. A launch this process did not see through (a crash in between) leaves
    /// its token bound to the slot alone, still single-use and expiring.
    /// </summary>
    public async Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken)
    {
        var token = await tokens.IssueForSlotAsync(slot.Role, slot.Index, tokenLifetime, cancellationToken);
        var userData = Render(slot.Role, slot.Index, token, null);
        _unboundTokens[userData] = token;
        return userData;
    }

    public async Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken)
    {
        if (_unboundTokens.TryRemove(userData, out var token))
            await tokens.BindToInstanceAsync(token, instanceId, cancellationToken);
    }

    public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken)
    {
        if (role != InstanceRole.Node || topology.NodeGroup is null)
            throw new InvalidOperationException($"cluster {topology.Spec.Name} has no Auto Scaling group of {role.TagValue()} instances");
        var proof = sts ?? throw new InvalidOperationException(
            "the user-data of an Auto Scaling group needs the STS endpoint its nodes sign their identity proof for");
        return Task.FromResult(Render(role, NodeGroup.SlotIndex, "", proof));
    }

    private string Render(InstanceRole role, int slot, string token, StsProofEndpoint? proof)
    {
        var spec = topology.Spec;
        return UserDataRenderer.Render(new UserDataSettings
        {
            Cluster = spec.Name,
            Role = role,
            Slot = slot,
            JoinToken = token,
            StsEndpoint = proof?.Url ?? "",
            StsRegion = proof?.Region ?? "",
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
}
