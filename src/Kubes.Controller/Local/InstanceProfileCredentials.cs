namespace Kubes.Controller.Local;

/// <summary>Credentials an instance's metadata service serves for its role, as EC2 serves an instance profile's.</summary>
/// <param name="InstanceProfileArn">What <c>iam/info</c> reports; null derives a local-only ARN from the role name.</param>
/// <param name="Expiration">When the credentials stop working; null: six hours after they are served.</param>
public sealed record InstanceProfileCredentials(string RoleName, string AccessKeyId, string SecretAccessKey, string Token = "",
    string? InstanceProfileArn = null, DateTimeOffset? Expiration = null);
