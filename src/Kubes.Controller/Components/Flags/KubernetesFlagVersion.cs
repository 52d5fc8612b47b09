using Kubes.Controller.Spec;

namespace Kubes.Controller.Components.Flags;

/// <summary>The version whose flags a component versioned with Kubernetes has: the cluster's minor (<c>1.36</c>), when supported.</summary>
public static class KubernetesFlagVersion
{
    public static string? Of(ClusterSpec spec) =>
        KubernetesVersions.MinorOf(spec.KubernetesVersion) is { } minor && KubernetesVersions.SupportedMinors.Contains(minor) ? minor : null;
}
