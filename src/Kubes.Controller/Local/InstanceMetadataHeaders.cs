namespace Kubes.Controller.Local;

/// <summary>The IMDSv2 headers: the session token, and the TTL asked for when getting one.</summary>
public static class InstanceMetadataHeaders
{
    public const string Token = "X-aws-ec2-metadata-token";
    public const string Ttl = "X-aws-ec2-metadata-token-ttl-seconds";
}
