using Kubes.Controller.Spec;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.Flags;

/// <summary>The operator's flags for a component, as its section of the role configuration carries them: ordered by name.</summary>
public static class ExtraArgs
{
    public static IEnumerable<Flag> Of(ClusterSpec spec, string component) =>
        spec.Components.TryGetValue(component, out var overrides)
            ? overrides.ExtraArgs.OrderBy(flag => flag.Key, StringComparer.Ordinal).Select(flag => new Flag { Name = flag.Key, Value = flag.Value })
            : [];
}
