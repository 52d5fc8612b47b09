using System.Reflection;
using k8s;
using k8s.Models;

namespace Kubes.Controller.Components.Addons;

/// <summary>
/// The API path of an add-on object, the one its server-side apply is sent to: from its model type's group, version and
/// plural (<see cref="KubernetesEntityAttribute"/>), in its namespace when it has one. Every add-on object is read into a
/// model type first, so each has one.
/// </summary>
public static class AddonObjectPath
{
    /// <summary>The kinds Kubes applies that belong to no namespace: one of these with a namespace is a rendering error.</summary>
    private static readonly HashSet<string> ClusterScoped =
    [
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass", "CSIDriver", "PriorityClass",
        "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "PersistentVolume", "IngressClass",
        "RuntimeClass", "VolumeAttachment",
    ];

    public static string Of(IKubernetesObject o)
    {
        var entity = o.GetType().GetCustomAttribute<KubernetesEntityAttribute>()
                     ?? throw new ArgumentException($"{o.GetType().Name} is not a Kubernetes model type", nameof(o));
        var metadata = ((IMetadata<V1ObjectMeta>)o).Metadata;
        var name = metadata?.Name is { Length: > 0 } n ? n : throw new ArgumentException($"a {entity.Kind} without a name", nameof(o));
        var ns = metadata.NamespaceProperty;
        if (ClusterScoped.Contains(entity.Kind) == ns is not null)
            throw new ArgumentException(ns is null
                ? $"{entity.Kind} {name} is namespaced and has no namespace"
                : $"{entity.Kind} {name} belongs to no namespace, yet names '{ns}'", nameof(o));
        var root = string.IsNullOrEmpty(entity.Group) ? $"/api/{entity.ApiVersion}" : $"/apis/{entity.Group}/{entity.ApiVersion}";
        return ns is null ? $"{root}/{entity.PluralName}/{name}" : $"{root}/namespaces/{ns}/{entity.PluralName}/{name}";
    }
}
