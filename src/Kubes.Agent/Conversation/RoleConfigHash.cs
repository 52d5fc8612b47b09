using Kubes.Protos.V1;

namespace Kubes.Agent.Conversation;

/// <summary>The agent refuses to act on a role configuration whose config_hash does not match (damaged in transit or at rest).</summary>
public static class RoleConfigHash
{
    public static void Verify(RoleConfig config, string source)
    {
        if (!config.HasValidConfigHash())
        {
            throw new InvalidRoleConfigException(
                $"the role configuration from {source} has config_hash '{config.ConfigHash}' but hashes to '{config.ComputeConfigHash()}': " +
                "it was damaged or built by a coordinator with a different contract; the agent will not act on it");
        }
    }
}
