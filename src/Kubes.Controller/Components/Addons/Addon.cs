using k8s;

namespace Kubes.Controller.Components.Addons;

/// <summary>
/// One add-on the cluster applies to itself (server-side, field manager <see cref="FieldManager"/>): its name and its
/// objects, in the order they are applied (namespaces and definitions first, as their manifests list them).
/// </summary>
public sealed record Addon(string Name, IReadOnlyList<IKubernetesObject> Objects)
{
    /// <summary>The field manager of every object Kubes applies: what it owns, and what it prunes.</summary>
    public const string FieldManager = Protos.Contract.AddonNames.FieldManager;

    /// <summary>The label every object of an add-on carries, so what the spec dropped is found and pruned.</summary>
    public const string AddonLabel = "kubes.io/addon";

    /// <summary>The objects as one multi-document YAML manifest.</summary>
    public string ToYaml() => string.Join("---\n", Objects.Select(o => KubernetesYaml.Serialize(o).TrimEnd('\n') + "\n"));
}
