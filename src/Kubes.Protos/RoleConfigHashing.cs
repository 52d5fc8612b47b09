using System.Security.Cryptography;
using Google.Protobuf;

namespace Kubes.Protos.V1;

/// <summary>
/// config_hash, computed one way on both sides of the contract: lower-case hex SHA-256 of the message's protobuf
/// encoding with config_hash empty and every artifact's URLs left out. The hash names the desired state: presigned URLs
/// change with every answer while the bytes they serve (pinned by each artifact's SHA-256) do not, so a configuration
/// handed out again with fresh URLs is the same configuration. Lists are hashed in their order: the coordinator
/// orders them (flags by name).
/// </summary>
public sealed partial class RoleConfig
{
    public string ComputeConfigHash()
    {
        var copy = Clone();
        copy.ConfigHash = "";
        foreach (var artifact in copy.Artifacts)
        {
            artifact.Urls.Clear();
        }

        return Convert.ToHexStringLower(SHA256.HashData(copy.ToByteArray()));
    }

    /// <summary>A copy with its config_hash filled in, as the coordinator hands it out.</summary>
    public RoleConfig Sealed()
    {
        var copy = Clone();
        copy.ConfigHash = ComputeConfigHash();
        return copy;
    }

    /// <summary>Whether config_hash is exactly the hash of the rest (lower-case hex): not damaged, not another contract's.</summary>
    public bool HasValidConfigHash() => ConfigHash.Length == 64 && ConfigHash == ComputeConfigHash();
}
