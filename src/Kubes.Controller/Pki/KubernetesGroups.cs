namespace Kubes.Controller.Pki;

/// <summary>The subject organisations (Kubernetes groups, or etcd client groups) the policy puts in certificates.</summary>
public static class KubernetesGroups
{
    /// <summary>The super-user group. Only the operator's admin certificate carries it.</summary>
    public const string Masters = "system:masters";

    /// <summary>Kubelets; the Node authorizer and NodeRestriction key on it and on CN system:node:&lt;name&gt;.</summary>
    public const string Nodes = "system:nodes";

    /// <summary>kube-proxy; the built-in ClusterRoleBinding system:node-proxier binds it.</summary>
    public const string NodeProxier = "system:node-proxier";

    /// <summary>
    /// The apiserver's client certificate towards etcd. etcd does not authorise by group (client-cert-auth only
    /// checks the CA), but a neutral name keeps the certificate useless against the Kubernetes API.
    /// </summary>
    public const string EtcdClients = "kubes:etcd-clients";

    /// <summary>
    /// The apiserver's client certificate towards kubelets. kubeadm used system:masters here until v1.29 and now
    /// uses its own less privileged group (kubernetes/kubernetes#121837). Kubes does the same: the control-plane
    /// bootstrap binds this group to the built-in ClusterRole <see cref="KubeletApiAdminClusterRole"/>, which is all
    /// the kubelet's webhook authorizer needs for logs, exec, port-forward and metrics.
    /// </summary>
    public const string ApiServerKubeletClients = "kubes:apiserver-kubelet-clients";

    /// <summary>
    /// The controllers' agents, which apply the cluster's add-ons (CN <see cref="AddonManagerCommonName"/>). Not
    /// system:masters, which no instance holds: <c>kubes up</c> binds this group to <see cref="ClusterAdminClusterRole"/>
    /// with the operator's admin certificate, the one thing applied from outside the cluster.
    /// </summary>
    public const string AddonManagers = "kubes:addon-managers";

    public const string AddonManagerCommonName = "kubes:addon-manager";

    /// <summary>The built-in ClusterRole that may do anything, RBAC bindings and CRDs included, as add-ons need.</summary>
    public const string ClusterAdminClusterRole = "cluster-admin";

    /// <summary>The built-in ClusterRole with full access to the kubelet API.</summary>
    public const string KubeletApiAdminClusterRole = "system:kubelet-api-admin";
}
