namespace Kubes.Controller.Topology;

public enum InstanceRole { Bastion, Etcd, Controller, Node }

public static class InstanceRoleNames
{
    /// <summary>The lower-case name used in tags (kubes.io/role), slot names and file names.</summary>
    public static string TagValue(this InstanceRole role) => role switch
    {
        InstanceRole.Bastion => "bastion",
        InstanceRole.Etcd => "etcd",
        InstanceRole.Controller => "controller",
        InstanceRole.Node => "node",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParseTag(string? value, out InstanceRole role)
    {
        foreach (var candidate in Enum.GetValues<InstanceRole>())
        {
            if (candidate.TagValue() == value)
            {
                role = candidate;
                return true;
            }
        }
        role = default;
        return false;
    }
}
