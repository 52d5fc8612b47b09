using Kubes.Controller.Components.Flags;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Components;

/// <summary>
/// Checks <c>spec.components</c>: each name a component Kubes configures, each of its <c>extraArgs</c> a flag that the
/// component's version has and that Kubes leaves to the operator, each value one line of text.
/// </summary>
internal static class ComponentOverrides
{
    public static void Check(ClusterSpec spec, SpecProblemList problems)
    {
        var names = ClusterComponents.All.Where(c => c.TakesExtraArgs).Select(c => c.Name).ToList();
        foreach (var (name, overrides) in spec.Components)
        {
            var path = $"spec.components.{name}";
            if (ClusterComponents.Find(name) is { TakesExtraArgs: false } whole)
            {
                problems.Add(path, $"takes no overrides: Kubes renders {whole.Name}'s whole configuration (docs/nodes.md, "
                    + "docs/bastion.md); components that take them: " + string.Join(", ", names));
                continue;
            }
            if (ClusterComponents.Find(name) is not { } component)
            {
                problems.Add(path, $"is not a component Kubes takes overrides for{SpellingSuggestion.DidYouMean(name, names)}; "
                    + $"those are: {string.Join(", ", names)}");
                continue;
            }
            // Without a supported release there is no flag list to check against; spec.kubernetesVersion says why.
            if (component.FlagVersion(spec) is not { } version) continue;
            var flags = FlagCatalogue.For(name, version);
            foreach (var (flag, value) in overrides.ExtraArgs)
                CheckFlag(component, flags, $"{path}.extraArgs.{flag}", flag, value, problems);
        }
    }

    private static void CheckFlag(IClusterComponent component, FlagSet flags, string path, string flag, string value,
        SpecProblemList problems)
    {
        var bare = flag.TrimStart('-');
        if (!flags.Contains(bare))
            problems.Add(path, $"{flags} has no flag --{bare}{SpellingSuggestion.DidYouMean(bare, flags.Names)}");
        else if (bare != flag)
            problems.Add(path, $"write the flag without its dashes: {bare}");
        else if (component.LockedFlags.TryGetValue(flag, out var reason))
            problems.Add(path, $"--{flag} cannot be overridden: {reason}");
        else if (value.Any(char.IsControl))
            problems.Add(path, "must be one line of text, without control characters");
    }
}
