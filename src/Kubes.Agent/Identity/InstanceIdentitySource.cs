using Kubes.Agent.Configuration;
using Kubes.Protos.V1;

namespace Kubes.Agent.Identity;

/// <summary>What the instance says about itself: IMDSv2 for the instance, agent.json for cluster, role, slot and token.</summary>
public interface IInstanceIdentitySource
{
    Task<InstanceIdentity> ReadAsync(CancellationToken cancellationToken);
}

public sealed class InstanceIdentitySource(AgentConfig config, InstanceMetadataClient metadata) : IInstanceIdentitySource
{
    public async Task<InstanceIdentity> ReadAsync(CancellationToken cancellationToken) => new()
    {
        Cluster = config.Cluster,
        InstanceId = await metadata.GetInstanceIdAsync(cancellationToken),
        PrivateIp = await metadata.GetPrivateIpAsync(cancellationToken),
        AvailabilityZone = await metadata.GetAvailabilityZoneAsync(cancellationToken),
        Role = RoleNames.Parse(config.Role),
        Slot = config.Slot,
        JoinToken = config.JoinToken,
    };
}
