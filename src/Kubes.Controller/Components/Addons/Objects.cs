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

    /// <summary>
    /// A cluster-critical Deployment of two replicas, one unavailable at a time while it rolls, running <paramref name="pod"/>
    /// as the add-on's service account (named after it) under <paramref name="labels"/>.
    /// </summary>
    public static V1Deployment TwoReplicas(string addon, IDictionary<string, string> labels, V1PodSpec pod)
    {
        pod.ServiceAccountName = addon;
        pod.PriorityClassName = "system-cluster-critical";
        return new V1Deployment
        {
            Metadata = Meta(addon, addon, labels: labels),
            Spec = new V1DeploymentSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 1 } },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = pod },
            },
        };
    }

    public static T Typed<T>(T o, string apiVersion, string kind) where T : k8s.IKubernetesObject
    {
        o.ApiVersion = apiVersion;
        o.Kind = kind;
        return o;
    }
}
