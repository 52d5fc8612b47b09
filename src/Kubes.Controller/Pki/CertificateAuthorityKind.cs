namespace Kubes.Controller.Pki;

/// <summary>The cluster's three certificate authorities; each trust domain has its own.</summary>
public enum CertificateAuthorityKind { Etcd, Kubernetes, FrontProxy }

public static class CertificateAuthorityKindNames
{
    /// <summary>etcd, kubernetes, front-proxy: used in CA common names and file names.</summary>
    public static string Slug(this CertificateAuthorityKind kind) => kind switch
    {
        CertificateAuthorityKind.Etcd => "etcd",
        CertificateAuthorityKind.Kubernetes => "kubernetes",
        CertificateAuthorityKind.FrontProxy => "front-proxy",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
