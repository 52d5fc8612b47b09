using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Serve;

/// <summary>
/// The cluster's real PKI, made in memory, and the coordinator's serving certificate issued by it through the
/// policy (the Kubernetes CA, for 127.0.0.1), the way <c>kubes serve</c> gets its own.
/// </summary>
public sealed class BenchPki : IDisposable
{
    private BenchPki(ClusterPki pki, IssuancePolicy policy, X509Certificate2 serving)
    {
        Pki = pki;
        Policy = policy;
        ServingCertificate = serving;
    }

    public ClusterPki Pki { get; }
    public IssuancePolicy Policy { get; }
    public X509Certificate2 ServingCertificate { get; }

    /// <summary>The CA an agent trusts the coordinator through.</summary>
    public X509Certificate2 CoordinatorCa => Pki.Kubernetes.Certificate;

    public static BenchPki Create(ClusterTopology topology)
    {
        var pki = ClusterPki.Create(topology.Spec);
        var policy = new IssuancePolicy(topology);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=kubes-coordinator", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var issued = CsrSigner.Sign(pki, policy.ForCoordinator([IPAddress.Loopback], []), csr);
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);
        using var withKey = certificate.CopyWithPrivateKey(key);
        // Through PKCS#12 so that the key outlives the ECDsa object above.
        var serving = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        return new BenchPki(pki, policy, serving);
    }

    public void Dispose()
    {
        ServingCertificate.Dispose();
        Pki.Dispose();
    }
}
