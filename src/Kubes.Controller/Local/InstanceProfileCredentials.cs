namespace Kubes.Controller.Local;

/// <summary>Credentials an instance's metadata service serves for its role, as EC2 serves an instance profile's.</summary>
public sealed record InstanceProfileCredentials(string RoleName, string AccessKeyId, string SecretAccessKey, string Token = "");
