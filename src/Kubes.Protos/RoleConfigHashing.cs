using System.Security.Cryptography;
using Google.Protobuf;

namespace Kubes.Protos.V1;

/// <summary>
/// config_hash, computed one way on both sides of the contract: lower-case hex SHA-256 of the message's protobuf
/// encoding with config_hash empty.
/// </summary>
public sealed partial class RoleConfig
{
    public string ComputeConfigHash()
    {
        var copy = Clone();
        copy.ConfigHash = "";
        return Convert.ToHexStringLower(SHA256.HashData(copy.ToByteArray()));
    }
}
