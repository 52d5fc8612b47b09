using Kubes.Protos.V1;

namespace Kubes.Agent.Conversation;

/// <summary>
/// RoleConfig.config_hash: lower-case hex SHA-256 of the message serialized with config_hash empty. The
/// agent refuses to act on a configuration whose hash does not match (damaged in transit or at rest).
/// </summary>
public static class RoleConfigHash
{
    public static string Compute(RoleConfig config) => config.ComputeConfigHash();

    public static bool Matches(RoleConfig config)
    {
        var stated = config.ConfigHash.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)
            ? config.ConfigHash["sha256:".Length..]
            : config.ConfigHash;
        return string.Equals(stated, Compute(config), StringComparison.OrdinalIgnoreCase);
    }

    public static void Verify(RoleConfig config, string source)
    {
        if (!Matches(config))
        {
            throw new InvalidRoleConfigException(
                $"the role configuration from {source} has config_hash '{config.ConfigHash}' but hashes to '{Compute(config)}': " +
                "it was damaged or built by a coordinator with a different contract; the agent will not act on it");
        }
    }
}

public sealed class InvalidRoleConfigException(string message) : Exception(message);
