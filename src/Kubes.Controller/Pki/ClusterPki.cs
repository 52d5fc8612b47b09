using Kubes.Controller.Pki.Ssh;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Pki;

/// <summary>
/// The cluster's trust roots: the etcd, Kubernetes, front-proxy and VPN CAs, the service-account key pair, and the SSH CA
/// (a host key and a user key).
/// </summary>
public sealed class ClusterPki : IDisposable
{
    public ClusterPki(CertificateAuthority etcd, CertificateAuthority kubernetes, CertificateAuthority frontProxy,
        CertificateAuthority vpn, ServiceAccountKeyPair serviceAccount, SshCertificateAuthority sshHost,
        SshCertificateAuthority sshUser)
    {
        Expect(etcd, CertificateAuthorityKind.Etcd);
        Expect(kubernetes, CertificateAuthorityKind.Kubernetes);
        Expect(frontProxy, CertificateAuthorityKind.FrontProxy);
        Expect(vpn, CertificateAuthorityKind.Vpn);
        if (sshHost.Kind != SshCertificateAuthorityKind.Host || sshUser.Kind != SshCertificateAuthorityKind.User)
            throw new ArgumentException("the SSH CA's host and user keys were swapped");
        Etcd = etcd;
        Kubernetes = kubernetes;
        FrontProxy = frontProxy;
        Vpn = vpn;
        ServiceAccount = serviceAccount;
        SshHost = sshHost;
        SshUser = sshUser;
    }

    public CertificateAuthority Etcd { get; }
    public CertificateAuthority Kubernetes { get; }
    public CertificateAuthority FrontProxy { get; }
    /// <summary>Signs the bastion's OpenVPN server certificate and the operators' VPN profiles, and revokes profiles.</summary>
    public CertificateAuthority Vpn { get; }
    public ServiceAccountKeyPair ServiceAccount { get; }
    /// <summary>Certifies each instance's SSH host key; <c>kubes ssh</c> trusts only it.</summary>
    public SshCertificateAuthority SshHost { get; }
    /// <summary>Certifies the operators' ephemeral SSH keys; every sshd of the cluster trusts only it.</summary>
    public SshCertificateAuthority SshUser { get; }

    public IEnumerable<CertificateAuthority> Authorities => [Etcd, Kubernetes, FrontProxy, Vpn];

    public IEnumerable<SshCertificateAuthority> SshAuthorities => [SshHost, SshUser];

    public CertificateAuthority this[CertificateAuthorityKind kind] => kind switch
    {
        CertificateAuthorityKind.Etcd => Etcd,
        CertificateAuthorityKind.Kubernetes => Kubernetes,
        CertificateAuthorityKind.FrontProxy => FrontProxy,
        CertificateAuthorityKind.Vpn => Vpn,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public SshCertificateAuthority this[SshCertificateAuthorityKind kind] =>
        kind == SshCertificateAuthorityKind.Host ? SshHost : SshUser;

    /// <summary>New CAs and service-account key for the cluster, with the spec's key algorithm and CA lifetime.</summary>
    public static ClusterPki Create(ClusterSpec spec, TimeProvider? clock = null)
    {
        var created = new List<IDisposable>();
        try
        {
            T Made<T>(T part) where T : IDisposable
            {
                created.Add(part);
                return part;
            }

            CertificateAuthority NewCa(CertificateAuthorityKind kind) => Made(CertificateAuthority.Create(spec.Name, kind, spec.Pki, clock));

            return new ClusterPki(NewCa(CertificateAuthorityKind.Etcd), NewCa(CertificateAuthorityKind.Kubernetes),
                NewCa(CertificateAuthorityKind.FrontProxy), NewCa(CertificateAuthorityKind.Vpn),
                Made(ServiceAccountKeyPair.Create(spec.Pki)),
                Made(SshCertificateAuthority.Create(spec.Name, SshCertificateAuthorityKind.Host)),
                Made(SshCertificateAuthority.Create(spec.Name, SshCertificateAuthorityKind.User)));
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
        foreach (var ca in SshAuthorities) ca.Dispose();
    }
}
