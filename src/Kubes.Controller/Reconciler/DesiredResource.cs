namespace Kubes.Controller.Reconciler;

/// <summary>One resource as the spec wants it. Concrete records carry typed properties for their handler.</summary>
public abstract record DesiredResource(ResourceKey Key)
{
    /// <summary>Resources that must exist before this one can be created.</summary>
    public abstract IReadOnlyList<ResourceKey> DependsOn { get; }

    /// <summary>The properties as an operator reads them in a plan; references print as the key they point to.</summary>
    public abstract IReadOnlyList<ResourceProperty> Describe();
}

public sealed record ResourceProperty(string Name, string Value);
