namespace Kubes.Controller.Registrar.CallerIdentity;

/// <summary>
/// The ARN STS reports for instance-profile credentials: <c>arn:&lt;partition&gt;:sts::&lt;account&gt;:assumed-role/&lt;role
/// name&gt;/&lt;session name&gt;</c>, where EC2 makes the session name the instance id.
/// </summary>
public sealed record AssumedRoleArn(string Partition, string Account, string RoleName, string SessionName)
{
    public static bool TryParse(string? arn, out AssumedRoleArn parsed)
    {
        parsed = null!;
        var parts = arn?.Split(':', 6);
        if (parts is not ["arn", { Length: > 0 } partition, "sts", "", { Length: 12 } account, var resource]
            || !account.All(char.IsAsciiDigit))
            return false;
        var path = resource.Split('/');
        if (path is not ["assumed-role", { Length: > 0 } role, { Length: > 0 } session]) return false;
        parsed = new AssumedRoleArn(partition, account, role, session);
        return true;
    }
}
