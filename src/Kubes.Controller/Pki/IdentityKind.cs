using Kubes.Protos.Contract;
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
    AddonManager,
    Admin,
    KubeletClient,
    KubeletServing,
    KubeProxy,
    CoordinatorServing,
    VpnServer,
    VpnClient,
}

public static class IdentityKindNames
{
    /// <summary>
    /// The first part of an identity's name (<c>etcd-member/etcd-0</c>) and the file stem the agent stores the
    /// key and certificate under (<c>etcd-member.key</c>, <c>etcd-member.crt</c>).
    /// </summary>
    public static string Slug(this IdentityKind kind) => kind switch
    {
        IdentityKind.EtcdMember => CertificateFiles.EtcdMember,
        IdentityKind.EtcdApiServerClient => CertificateFiles.ApiServerEtcdClient,
        IdentityKind.ApiServerServing => CertificateFiles.ApiServer,
        IdentityKind.ApiServerKubeletClient => CertificateFiles.ApiServerKubeletClient,
        IdentityKind.FrontProxyClient => CertificateFiles.FrontProxyClient,
        IdentityKind.ControllerManager => CertificateFiles.ControllerManager,
        IdentityKind.Scheduler => CertificateFiles.Scheduler,
        IdentityKind.AddonManager => CertificateFiles.AddonManager,
        IdentityKind.Admin => CertificateFiles.Admin,
        IdentityKind.KubeletClient => CertificateFiles.KubeletClient,
        IdentityKind.KubeletServing => CertificateFiles.KubeletServing,
        IdentityKind.KubeProxy => CertificateFiles.KubeProxy,
        IdentityKind.CoordinatorServing => CertificateFiles.Coordinator,
        IdentityKind.VpnServer => CertificateFiles.VpnServer,
        IdentityKind.VpnClient => CertificateFiles.VpnClient,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
