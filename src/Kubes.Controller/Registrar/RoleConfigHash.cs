using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar;

/// <summary>
/// config_hash: lower-case hex SHA-256 of the RoleConfig's protobuf encoding with config_hash
/// empty. The agent recomputes it the same way before acting.
/// </summary>
public static class RoleConfigHash
{
    public static string Compute(RoleConfig config) => config.ComputeConfigHash();

    /// <summary>A copy of the config with its hash filled in.</summary>
    public static RoleConfig Seal(RoleConfig config)
    {
        var sealedConfig = config.Clone();
        sealedConfig.ConfigHash = Compute(config);
        return sealedConfig;
    }

    public static bool IsValid(RoleConfig config) => config.ConfigHash == Compute(config);
}
