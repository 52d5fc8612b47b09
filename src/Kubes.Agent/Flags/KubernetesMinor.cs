using System.Globalization;
using Kubes.Agent.Conversation;
using Kubes.Protos.V1;

namespace Kubes.Agent.Flags;

/// <summary>A Kubernetes minor release (1.35): the unit in which a component's flags appear and disappear.</summary>
public readonly record struct KubernetesMinor(int Major, int Minor) : IComparable<KubernetesMinor>
{
    /// <summary>Reads <c>v1.35.7</c>, <c>1.35</c> or <c>1.36.0-rc.1</c>; false for anything else (including empty).</summary>
    public static bool TryParse(string? version, out KubernetesMinor minor)
    {
        minor = default;
        var text = version?.Trim() ?? "";
        if (text.StartsWith('v'))
        {
            text = text[1..];
        }

        var parts = text.Split('.', 3);
        if (parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minorNumber))
        {
            return false;
        }

        minor = new KubernetesMinor(major, minorNumber);
        return true;
    }

    /// <summary>The minor a role configuration targets, for components versioned with Kubernetes; refuses one it lacks.</summary>
    public static KubernetesMinor Of(RoleConfig config) =>
        TryParse(config.KubernetesVersion, out var minor)
            ? minor
            : throw new InvalidRoleConfigException(
                $"the role configuration for {config.Name} names Kubernetes version '{config.KubernetesVersion}', which is not a " +
                "version (v1.36.3): the coordinator's RoleConfig must be fixed");

    public int CompareTo(KubernetesMinor other) =>
        Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(KubernetesMinor left, KubernetesMinor right) => left.CompareTo(right) < 0;
    public static bool operator >(KubernetesMinor left, KubernetesMinor right) => left.CompareTo(right) > 0;
    public static bool operator <=(KubernetesMinor left, KubernetesMinor right) => left.CompareTo(right) <= 0;
    public static bool operator >=(KubernetesMinor left, KubernetesMinor right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Major}.{Minor}";
}
