namespace Kubes.Controller.Pki;

/// <summary>The cluster's X.509 certificate authorities; each trust domain has its own (the VPN's too: a VPN profile opens
/// the network, not the cluster's API).</summary>
public enum CertificateAuthorityKind { Etcd, Kubernetes, FrontProxy, Vpn }

public static class CertificateAuthorityKindNames
{
    /// <summary>etcd, kubernetes, front-proxy, vpn: used in CA common names and file names.</summary>
    public static string Slug(this CertificateAuthorityKind kind) => kind switch
    {
        CertificateAuthorityKind.Etcd => "etcd",
        CertificateAuthorityKind.Kubernetes => "kubernetes",
        CertificateAuthorityKind.FrontProxy => "front-proxy",
        CertificateAuthorityKind.Vpn => "vpn",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
