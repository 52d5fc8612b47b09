using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Pki.Support;

internal static class TestClusters
{
    /// <summary>The local provider: every slot, nodes included, has a fixed address.</summary>
    public static ClusterSpec Local(KeyAlgorithm algorithm = KeyAlgorithm.EcdsaP256) => new()
    {
        Name = "demo",
        Provider = ProviderKind.Local,
        Pki = new PkiSpec { KeyAlgorithm = algorithm },
    };

    /// <summary>The AWS defaults: nodes get DHCP addresses.</summary>
    public static ClusterSpec Aws() => new() { Name = "demo" };

    public static X509Certificate2 WithKey(string certificatePem, AsymmetricAlgorithm key)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return key switch
        {
            ECDsa ecdsa => certificate.CopyWithPrivateKey(ecdsa),
            RSA rsa => certificate.CopyWithPrivateKey(rsa),
            _ => throw new ArgumentException("unsupported key", nameof(key)),
        };
    }
}

/// <summary>
/// One PKI and policy of the local demo cluster, shared by the tests of a class. On the real clock, because openssl
/// verify and TLS judge validity against the real time.
/// </summary>
public sealed class LocalPkiFixture : IDisposable
{
    public LocalPkiFixture()
    {
        Spec = TestClusters.Local();
        Topology = ClusterTopology.From(Spec);
        Policy = new IssuancePolicy(Topology);
        Pki = ClusterPki.Create(Spec);
    }

    public ClusterSpec Spec { get; }
    public ClusterTopology Topology { get; }
    public IssuancePolicy Policy { get; }
    public ClusterPki Pki { get; }

    /// <summary>Signs a fresh ECDSA P-256 key's request for <paramref name="identity"/>; returns the certificate with its key.</summary>
    public X509Certificate2 Issue(CertificateIdentity identity)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issued = CsrSigner.Sign(Pki, identity, TestCsr.For(key));
        return TestClusters.WithKey(issued.CertificatePem, key);
    }

    public void Dispose() => Pki.Dispose();
}
