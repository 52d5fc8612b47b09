using Kubes.Agent.Conversation;
using Kubes.Protos.V1;

namespace Kubes.Agent.Flags;

/// <summary>
/// The one way a component's flags become its command line: <c>--name=value</c> for every flag the targeted Kubernetes
/// minor has, then the spec's overrides (<c>spec.components.&lt;component&gt;.extraArgs</c>, validated by the coordinator
/// for that component's version) merged over Kubes' values, all sorted by name.
/// </summary>
public static class FlagRenderer
{
    /// <param name="version">The Kubernetes minor the program is; null when the component is not versioned with Kubernetes
    /// (etcd), which is only allowed when no flag is gated.</param>
    /// <param name="overrides">The RoleConfig's extra_args for this component.</param>
    public static IReadOnlyList<string> Render(FlagSet flags, KubernetesMinor? version, IEnumerable<Flag> overrides)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var flag in flags.Entries)
        {
            if (flag.Gate is not null)
            {
                if (version is not { } minor)
                {
                    throw new ArgumentException($"--{flag.Name} exists {flag.Gate} only, and no Kubernetes version was given to decide");
                }

                if (!flag.Gate.Allows(minor))
                {
                    continue;
                }
            }

            values[flag.Name] = flag.Value;
        }

        foreach (var flag in overrides)
        {
            if (!IsFlagName(flag.Name))
            {
                throw new InvalidRoleConfigException(
                    $"the role configuration overrides a flag named '{flag.Name}', which is not a flag name (no leading dashes, " +
                    "no '='); the coordinator's validation of extraArgs must be fixed");
            }

            values[flag.Name] = flag.Value;
        }

        return values.Select(pair => $"--{pair.Key}={pair.Value}").ToList();
    }

    public static bool IsFlagName(string name) =>
        name.Length > 0 && char.IsAsciiLetterOrDigit(name[0])
                        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
