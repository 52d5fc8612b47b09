namespace Kubes.Controller.Components.Flags;

/// <summary>Every command-line flag one version of a component has, by name without dashes, as its flag list file records it.</summary>
public sealed class FlagSet(string component, string version, IReadOnlySet<string> names)
{
    public string Component => component;
    public string Version => version;
    public IReadOnlySet<string> Names => names;

    public bool Contains(string flag) => names.Contains(flag);

    public override string ToString() => $"{component} {version}";
}
