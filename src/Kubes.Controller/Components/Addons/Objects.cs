using k8s.Models;

namespace Kubes.Controller.Components.Addons;

/// <summary>What every object Kubes writes for an add-on starts from: its name, namespace and the add-on's label.</summary>
internal static class Objects
{
    public const string KubeSystem = "kube-system";

    public static V1ObjectMeta Meta(string addon, string name, string? ns = KubeSystem, IDictionary<string, string>? labels = null)
    {
        var all = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [Addon.AddonLabel] = addon };
        return new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = all };
    }

    public static T Typed<T>(T o, string apiVersion, string kind) where T : k8s.IKubernetesObject
    {
        o.ApiVersion = apiVersion;
        o.Kind = kind;
        return o;
    }
}
