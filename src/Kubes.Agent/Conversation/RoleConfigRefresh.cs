using Kubes.Agent.Channels;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// Asks the coordinator again for this instance's role configuration: a Join that proves the instance with its agent
/// credential (the join token is spent), checked like the first one and saved in its place.
/// </summary>
public sealed class RoleConfigRefresh(IRegistrarChannel channel, AgentStateStore state, ILogger<RoleConfigRefresh> log)
{
    public async Task<JoinResponse> RefreshAsync(InstanceIdentity identity, JoinResponse joined, CancellationToken cancellationToken)
    {
        var proof = identity.Clone();
        proof.JoinToken = joined.AgentCredential;
        proof.CallerIdentity = null;
        var fresh = await channel.JoinAsync(new JoinRequest { Identity = proof, AgentVersion = AgentConversation.Version },
            cancellationToken);
        var roleConfig = fresh.RoleConfig ?? throw new InvalidRoleConfigException("the coordinator answered a re-join without a role configuration");
        RoleConfigHash.Verify(roleConfig, "a re-join");
        // The coordinator keeps the credential it issued; an answer without one keeps ours.
        var refreshed = new JoinResponse
        {
            AgentCredential = string.IsNullOrEmpty(fresh.AgentCredential) ? joined.AgentCredential : fresh.AgentCredential,
            RoleConfig = roleConfig,
        };
        state.Save(identity.InstanceId, refreshed);
        log.LogInformation("Fresh role configuration {Hash} (was {Previous})",
            roleConfig.ConfigHash, joined.RoleConfig?.ConfigHash);
        return refreshed;
    }
}
