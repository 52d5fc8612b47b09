using Kubes.Controller.Spec;

namespace Kubes.Controller.Pki;

/// <summary>The cluster's trust roots: the etcd, Kubernetes and front-proxy CAs and the service-account key pair.</summary>
public sealed class ClusterPki : IDisposable
{
    public ClusterPki(CertificateAuthority etcd, CertificateAuthority kubernetes, CertificateAuthority frontProxy,
        ServiceAccountKeyPair serviceAccount)
    {
        Expect(etcd, CertificateAuthorityKind.Etcd);
        Expect(kubernetes, CertificateAuthorityKind.Kubernetes);
        Expect(frontProxy, CertificateAuthorityKind.FrontProxy);
        Etcd = etcd;
        Kubernetes = kubernetes;
        FrontProxy = frontProxy;
        ServiceAccount = serviceAccount;
    }

    public CertificateAuthority Etcd { get; }
    public CertificateAuthority Kubernetes { get; }
    public CertificateAuthority FrontProxy { get; }
    public ServiceAccountKeyPair ServiceAccount { get; }

    public IEnumerable<CertificateAuthority> Authorities => [Etcd, Kubernetes, FrontProxy];

    public CertificateAuthority this[CertificateAuthorityKind kind] => kind switch
    {
        CertificateAuthorityKind.Etcd => Etcd,
        CertificateAuthorityKind.Kubernetes => Kubernetes,
        CertificateAuthorityKind.FrontProxy => FrontProxy,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>New CAs and service-account key for the cluster, with the spec's key algorithm and CA lifetime.</summary>
    public static ClusterPki Create(ClusterSpec spec, TimeProvider? clock = null)
    {
        var created = new List<IDisposable>();
        try
        {
            CertificateAuthority NewCa(CertificateAuthorityKind kind)
            {
                var ca = CertificateAuthority.Create(spec.Name, kind, spec.Pki, clock);
                created.Add(ca);
                return ca;
            }

            var etcd = NewCa(CertificateAuthorityKind.Etcd);
            var kubernetes = NewCa(CertificateAuthorityKind.Kubernetes);
            var frontProxy = NewCa(CertificateAuthorityKind.FrontProxy);
            return new ClusterPki(etcd, kubernetes, frontProxy, ServiceAccountKeyPair.Create(spec.Pki));
        }
        catch
        {
            foreach (var item in created) item.Dispose();
            throw;
        }
    }

    private static void Expect(CertificateAuthority ca, CertificateAuthorityKind kind)
    {
        if (ca.Kind != kind)
            throw new ArgumentException($"expected the {kind.Slug()} CA, got the {ca.Kind.Slug()} CA");
    }

    public void Dispose()
    {
        foreach (var ca in Authorities) ca.Dispose();
        ServiceAccount.Dispose();
    }
}
