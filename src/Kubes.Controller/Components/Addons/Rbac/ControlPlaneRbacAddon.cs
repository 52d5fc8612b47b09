using k8s.Models;
using Kubes.Controller.Pki;

namespace Kubes.Controller.Components.Addons.Rbac;

/// <summary>
/// The control plane's own bindings, which Kubernetes' bootstrap policy does not make: the apiservers' kubelet-client
/// identity (<see cref="KubernetesGroups.ApiServerKubeletClients"/>) may use every kubelet's API — logs, exec,
/// port-forward, metrics — through the built-in <see cref="KubernetesGroups.KubeletApiAdminClusterRole"/>, as kubeadm binds
/// its own group since v1.29.
/// </summary>
public static class ControlPlaneRbacAddon
{
    public const string Name = "control-plane-rbac";

    public static Addon Build() => new(Name,
    [
        Objects.Typed(new V1ClusterRoleBinding
        {
            Metadata = Objects.Meta(Name, "kubes:apiserver-kubelet-client", ns: null),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = KubernetesGroups.KubeletApiAdminClusterRole },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = KubernetesGroups.ApiServerKubeletClients }],
        }, "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ]);
}
