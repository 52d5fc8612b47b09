using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Serve;

/// <summary>
/// The cluster's real PKI, made in memory, its issuer as <c>kubes serve</c> uses it, and the coordinator's serving
/// certificate for 127.0.0.1.
/// </summary>
public sealed class BenchPki : IDisposable
{
    private BenchPki(ClusterPki pki, IssuancePolicy policy)
    {
        Pki = pki;
        Issuer = new PolicyCertificateIssuer(pki);
        ServingCertificate = CoordinatorCertificate.Issue(pki, policy, IPAddress.Loopback, []);
    }

    public ClusterPki Pki { get; }
    public PolicyCertificateIssuer Issuer { get; }
    public X509Certificate2 ServingCertificate { get; }

    /// <summary>The CA an agent trusts the coordinator through.</summary>
    public X509Certificate2 CoordinatorCa => Pki.Kubernetes.Certificate;

    public static BenchPki Create(ClusterTopology topology) =>
        new(ClusterPki.Create(topology.Spec), new IssuancePolicy(topology));

    public void Dispose()
    {
        ServingCertificate.Dispose();
        Pki.Dispose();
    }
}
