using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Pki;
using Kubes.Controller.Providers;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Cli.Rendering;

public sealed class CertificateViewsTests
{
    private static readonly Dictionary<string, X509KeyUsageFlags> LeafUsages = new()
    {
        ["digitalSignature"] = X509KeyUsageFlags.DigitalSignature,
        ["keyEncipherment"] = X509KeyUsageFlags.KeyEncipherment,
    };

    private static X509KeyUsageFlags Flags(CertificateView view) =>
        view.KeyUsages.Aggregate(X509KeyUsageFlags.None, (all, name) => all | LeafUsages[name]);

    private static X509KeyUsageFlags IssuedUsage(string certificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages;
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void Every_agent_certificate_shows_the_key_usage_it_is_issued_with(KeyAlgorithm algorithm)
    {
        var spec = ClusterSpecDefaults.Aws("demo") with { Pki = new PkiSpec { KeyAlgorithm = algorithm } };
        var topology = ClusterTopology.From(spec);
        var policy = new IssuancePolicy(topology);
        using var pki = ClusterPki.Create(spec);
        using AsymmetricAlgorithm agentKey = algorithm == KeyAlgorithm.Rsa2048 ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = TestCsr.For(agentKey);

        var views = CertificateViews.From(topology, policy).ToDictionary(v => v.Identity);

        foreach (var identity in policy.All())
            Assert.Equal(IssuedUsage(CsrSigner.Sign(pki, identity, csr).CertificatePem), Flags(views[identity.Name]));
        Assert.Equal(algorithm == KeyAlgorithm.Rsa2048, views.Values.Any(v => v.KeyUsages.Contains("keyEncipherment")));
    }

    [Theory]
    [InlineData(ProviderKind.Aws, KeyAlgorithm.Rsa2048)]
    [InlineData(ProviderKind.Local, KeyAlgorithm.EcdsaP256)]
    public void The_coordinator_certificate_is_listed_as_kubes_serve_issues_it_on_its_default_listen_address(ProviderKind provider,
        KeyAlgorithm algorithm)
    {
        var spec = ClusterSpecDefaults.For(provider, "demo") with { Pki = new PkiSpec { KeyAlgorithm = algorithm } };
        var topology = ClusterTopology.From(spec);
        var policy = new IssuancePolicy(topology);
        using var pki = ClusterPki.Create(spec);
        var listen = CoordinatorListen.Default(topology).Address;

        var view = Assert.Single(CertificateViews.From(topology, policy), v => v.ListenAddress is not null);
        using var issued = CoordinatorCertificate.Issue(pki, policy, listen, []);

        Assert.Equal(listen.ToString(), view.ListenAddress);
        Assert.Contains(view.ListenAddress, view.IpAddresses);
        Assert.Equal(issued.Subject, $"CN={view.CommonName}");
        Assert.Equal(issued.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages, Flags(view));
        var sans = issued.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(sans.EnumerateIPAddresses().Select(ip => ip.ToString()), view.IpAddresses);
        Assert.Equal(sans.EnumerateDnsNames(), view.DnsNames);
        Assert.Equal(["serverAuth"], view.ExtendedKeyUsages);
        Assert.Equal("kubernetes", view.Issuer);
        if (provider == ProviderKind.Local) Assert.Equal([topology.VpcCidr.AddressAt(1).ToString(), "127.0.0.1"], view.IpAddresses);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, "ECDSA P-256", "RSA 2048")]
    [InlineData(KeyAlgorithm.Rsa4096, "RSA 4096", "RSA 4096")]
    public void The_authorities_and_the_service_account_key_are_those_the_pki_creates(KeyAlgorithm algorithm, string caKey, string saKey)
    {
        var spec = ClusterSpecDefaults.Aws("prod") with { Pki = new PkiSpec { KeyAlgorithm = algorithm, CaLifetime = Lifetime.FromDays(730) } };
        using var pki = ClusterPki.Create(spec);

        var views = CertificateViews.Authorities(spec);

        Assert.Equal(pki.Authorities.Select(ca => (ca.Kind.Slug(), ca.Certificate.Subject)), views.Select(v => (v.Name, $"CN={v.CommonName}")));
        foreach (var (ca, view) in pki.Authorities.Zip(views))
        {
            Assert.Equal(caKey, ca.KeyDescription);
            Assert.Equal(algorithm.ToSpecName(), view.KeyAlgorithm);
            Assert.Equal(ca.NotAfter, ca.Certificate.NotBefore.ToUniversalTime() + CertificateAuthority.ClockSkewAllowance + Lifetime.Parse(view.Lifetime).Value,
                TimeSpan.FromSeconds(1));
            Assert.Equal(["keyCertSign", "cRLSign"], view.KeyUsages);
            Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign,
                ca.Certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        }
        Assert.Equal(saKey, pki.ServiceAccount.KeyDescription);
        Assert.Equal(saKey.ToLowerInvariant().Replace(' ', '-'), CertificateViews.ServiceAccountKey(spec).KeyAlgorithm);
    }
}
