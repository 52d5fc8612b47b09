namespace Kubes.Controller.Pki;

/// <summary>Every kind of certificate the cluster uses; the policy decides the names inside each.</summary>
public enum IdentityKind
{
    EtcdMember,
    EtcdApiServerClient,
    ApiServerServing,
    ApiServerKubeletClient,
    FrontProxyClient,
    ControllerManager,
    Scheduler,
    Admin,
    KubeletClient,
    KubeletServing,
    KubeProxy,
    CoordinatorServing,
}

public static class IdentityKindNames
{
    /// <summary>
    /// The first part of an identity's name (<c>etcd-member/etcd-0</c>) and the file stem the agent stores the
    /// key and certificate under (<c>etcd-member.key</c>, <c>etcd-member.crt</c>).
    /// </summary>
    public static string Slug(this IdentityKind kind) => kind switch
    {
        IdentityKind.EtcdMember => "etcd-member",
        IdentityKind.EtcdApiServerClient => "apiserver-etcd-client",
        IdentityKind.ApiServerServing => "apiserver",
        IdentityKind.ApiServerKubeletClient => "apiserver-kubelet-client",
        IdentityKind.FrontProxyClient => "front-proxy-client",
        IdentityKind.ControllerManager => "controller-manager",
        IdentityKind.Scheduler => "scheduler",
        IdentityKind.Admin => "admin",
        IdentityKind.KubeletClient => "kubelet-client",
        IdentityKind.KubeletServing => "kubelet-serving",
        IdentityKind.KubeProxy => "kube-proxy",
        IdentityKind.CoordinatorServing => "coordinator",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
