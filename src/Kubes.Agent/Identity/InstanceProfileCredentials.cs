using System.Text.Json;

namespace Kubes.Agent.Identity;

/// <summary>The temporary credentials of the instance's role, from its metadata service.</summary>
public sealed record InstanceProfileCredentials(string RoleName, string AccessKeyId, string SecretAccessKey, string Token)
{
    /// <summary>Reads EC2's credentials document (Code, AccessKeyId, SecretAccessKey, Token, ...). No reflection: the agent is Native AOT.</summary>
    public static InstanceProfileCredentials Parse(string document, string roleName)
    {
        string? Field(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        using var json = JsonDocument.Parse(document);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || Field(root, "Code") is not (null or "Success"))
            throw new HttpRequestException($"the instance metadata credentials of role {roleName} are not usable: code '{Field(root, "Code")}'");
        var accessKey = Field(root, "AccessKeyId");
        var secret = Field(root, "SecretAccessKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secret))
            throw new HttpRequestException($"the instance metadata credentials of role {roleName} have no AccessKeyId or SecretAccessKey");
        return new InstanceProfileCredentials(roleName, accessKey, secret, Field(root, "Token") ?? "");
    }
}
