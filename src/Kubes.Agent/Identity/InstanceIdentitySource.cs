using Kubes.Agent.Configuration;
using Kubes.Protos.V1;

namespace Kubes.Agent.Identity;

/// <summary>What the instance says about itself: IMDSv2 for the instance, agent.json for cluster, role, slot and token.</summary>
public interface IInstanceIdentitySource
{
    Task<InstanceIdentity> ReadAsync(CancellationToken cancellationToken);
}

/// <remarks>
/// With no join token but an STS endpoint (the shared user-data of an Auto Scaling group), the identity carries a
/// GetCallerIdentity signed with the instance profile's credentials instead, freshly signed on every read.
/// </remarks>
public sealed class InstanceIdentitySource(AgentConfig config, InstanceMetadataClient metadata, TimeProvider? time = null)
    : IInstanceIdentitySource
{
    public async Task<InstanceIdentity> ReadAsync(CancellationToken cancellationToken)
    {
        var identity = new InstanceIdentity
        {
            Cluster = config.Cluster,
            InstanceId = await metadata.GetInstanceIdAsync(cancellationToken),
            PrivateIp = await metadata.GetPrivateIpAsync(cancellationToken),
            AvailabilityZone = await metadata.GetAvailabilityZoneAsync(cancellationToken),
            Role = RoleNames.Parse(config.Role),
            Slot = config.Slot,
            JoinToken = config.JoinToken,
        };
        if (config.ProvesIdentityThroughSts)
        {
            var credentials = await metadata.GetInstanceProfileCredentialsAsync(cancellationToken);
            identity.CallerIdentity = await new CallerIdentitySigner(new Uri(config.StsEndpoint), config.StsRegion, time)
                .SignAsync(credentials, config.Cluster, cancellationToken);
        }
        return identity;
    }
}
