using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Pki.Support;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Pki;

public class CsrSignerTests(LocalPkiFixture cluster) : IClassFixture<LocalPkiFixture>
{
    private static readonly Dictionary<ExtendedKeyUsages, string[]> OpensslEku = new()
    {
        [ExtendedKeyUsages.ServerAuth] = ["TLS Web Server Authentication"],
        [ExtendedKeyUsages.ClientAuth] = ["TLS Web Client Authentication"],
        [ExtendedKeyUsages.ServerAuth | ExtendedKeyUsages.ClientAuth] =
            ["TLS Web Server Authentication", "TLS Web Client Authentication"],
    };

    private IEnumerable<CertificateIdentity> EveryIdentity() =>
        cluster.Policy.All().Append(cluster.Policy.ForCoordinator([IPAddress.Loopback], ["localhost"]));

    [Fact]
    public void Every_identity_is_issued_as_the_policy_says_and_verifies_against_its_CA_only()
    {
        using var folder = new TempFolder();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = TestCsr.For(key);
        var checkedIdentities = 0;

        foreach (var identity in EveryIdentity())
        {
            var issued = CsrSigner.Sign(cluster.Pki, identity, csr);
            var issuer = cluster.Pki[identity.Issuer];
            Assert.Equal(identity.Name, issued.Identity);
            Assert.Equal(issuer.CertificatePem, issued.CaPem);

            var purpose = identity.IsServer ? "sslserver" : "sslclient";
            var verified = Openssl.Verify(folder, issued.CaPem, issued.CertificatePem, purpose);
            Assert.True(verified.ExitCode == 0, $"{identity.Name}: {verified.Output}");
            foreach (var other in cluster.Pki.Authorities.Where(ca => ca.Kind != identity.Issuer))
                Assert.NotEqual(0, Openssl.Verify(folder, other.CertificatePem, issued.CertificatePem).ExitCode);

            var text = Openssl.Text(folder, issued.CertificatePem);
            Assert.Equal(identity.CommonName, text.CommonName);
            Assert.Equal(identity.Organizations, text.Organizations);
            Assert.Equal(issuer.Certificate.Subject, text.Issuer);
            Assert.Equal(identity.DnsNames, text.DnsNames);
            Assert.Equal(identity.IpAddresses, text.IpAddresses);
            Assert.Equal(["Digital Signature"], text.KeyUsages);
            Assert.True(text.KeyUsageCritical);
            Assert.Equal(OpensslEku[identity.ExtendedKeyUsages], text.ExtendedKeyUsages);
            Assert.Equal("CA:FALSE", text.BasicConstraints);
            Assert.True(text.BasicConstraintsCritical);
            Assert.Equal(Openssl.Text(folder, issuer.CertificatePem).SubjectKeyId, text.AuthorityKeyId);
            Assert.NotNull(text.SubjectKeyId);
            checkedIdentities++;
        }
        Assert.Equal(36, checkedIdentities);
    }

    [Fact]
    public void Validity_starts_five_minutes_back_and_lasts_the_policy_lifetime()
    {
        using var folder = new TempFolder();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clock = new FixedClock();
        var identity = cluster.Policy.ForAdmin();

        var issued = CsrSigner.Sign(cluster.Pki, identity, TestCsr.For(key), clock);
        var text = Openssl.Text(folder, issued.CertificatePem);

        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddMinutes(-5), text.NotBefore);
        // The admin certificate's lifetime: spec.pki.adminCertificateLifetime.
        Assert.Equal(TimeSpan.FromHours(18), identity.Lifetime);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(18), text.NotAfter);
        Assert.Equal(clock.GetUtcNow().AddHours(18), issued.NotAfter);
    }

    [Fact]
    public void A_certificate_of_minutes_starts_a_tenth_of_its_lifetime_back_so_its_renewal_is_not_dominated_by_the_allowance()
    {
        using var folder = new TempFolder();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clock = new FixedClock();
        var identity = cluster.Policy.ForAdmin() with { Lifetime = TimeSpan.FromMinutes(3) };

        var text = Openssl.Text(folder, CsrSigner.Sign(cluster.Pki, identity, TestCsr.For(key), clock).CertificatePem);

        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddSeconds(-18), text.NotBefore);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddMinutes(3), text.NotAfter);
        Assert.Equal(CertificateAuthority.ClockSkewAllowance, CsrSigner.BackdateOf(TimeSpan.FromMinutes(50)));
        Assert.Equal(TimeSpan.FromMinutes(4.9), CsrSigner.BackdateOf(TimeSpan.FromMinutes(49)));
    }

    [Fact]
    public void A_certificate_never_outlives_its_CA()
    {
        var identity = cluster.Policy.ForAdmin() with { Lifetime = TimeSpan.FromDays(365 * 50) };
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var issued = CsrSigner.Sign(cluster.Pki, identity, TestCsr.For(key));

        Assert.Equal(cluster.Pki.Kubernetes.NotAfter, issued.NotAfter);
    }

    [Fact]
    public void An_expired_CA_signs_nothing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var afterExpiry = new FixedClock(cluster.Pki.Kubernetes.NotAfter.AddSeconds(1));

        var error = Assert.Throws<InvalidOperationException>(() =>
            CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), TestCsr.For(key), afterExpiry));
        Assert.Contains("kubernetes CA expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serial_numbers_are_16_random_positive_bytes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = TestCsr.For(key);

        var serials = Enumerable.Range(0, 20)
            .Select(_ => X509Certificate2.CreateFromPem(CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), csr).CertificatePem))
            .Select(c => c.SerialNumberBytes.ToArray())
            .ToList();

        Assert.All(serials, s => Assert.Equal(16, s.Length));
        Assert.All(serials, s => Assert.InRange(s[0], 0x40, 0x7F));
        Assert.Equal(serials.Count, serials.Select(Convert.ToHexString).Distinct().Count());
    }

    [Fact]
    public void An_RSA_server_key_gets_key_encipherment_and_an_RSA_client_key_does_not()
    {
        using var folder = new TempFolder();
        using var key = RSA.Create(2048);
        var csr = TestCsr.For(key);
        var node = cluster.Policy.ForSlot(cluster.Topology.FindSlot(InstanceRole.Node, 0)!);

        var serving = CsrSigner.Sign(cluster.Pki, node.Single(i => i.Kind == IdentityKind.KubeletServing), csr);
        var client = CsrSigner.Sign(cluster.Pki, node.Single(i => i.Kind == IdentityKind.KubeletClient), csr);

        Assert.Equal(["Digital Signature", "Key Encipherment"], Openssl.Text(folder, serving.CertificatePem).KeyUsages);
        Assert.Equal(["Digital Signature"], Openssl.Text(folder, client.CertificatePem).KeyUsages);
        Assert.Equal(0, Openssl.Verify(folder, serving.CaPem, serving.CertificatePem, "sslserver").ExitCode);
    }

    [Fact]
    public void The_CSR_names_are_ignored_and_the_policy_names_issued()
    {
        using var folder = new TempFolder();
        var node0 = cluster.Policy.ForSlot(cluster.Topology.FindSlot(InstanceRole.Node, 0)!);
        var node1Ip = cluster.Topology.FindSlot(InstanceRole.Node, 1)!.PrivateIp!;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // node-0 asks to be node-1, in system:masters, for the API endpoint name and node-1's address, as a CA,
        // with code signing.
        var greedy = TestCsr.For(key, "CN=system:node:node-1, O=system:masters, O=system:nodes",
            ["node-1", "api.demo.kubes.internal", "kubernetes.default"], [node1Ip, IPAddress.Parse("10.0.0.20")],
            askForCa: true, extendedKeyUsageOids: ["1.3.6.1.5.5.7.3.3", "1.3.6.1.5.5.7.3.1"]);

        foreach (var identity in node0)
        {
            var text = Openssl.Text(folder, CsrSigner.Sign(cluster.Pki, identity, greedy).CertificatePem);

            Assert.Equal(identity.CommonName, text.CommonName);
            Assert.Equal(identity.Organizations, text.Organizations);
            Assert.DoesNotContain("system:masters", text.Subject, StringComparison.Ordinal);
            Assert.DoesNotContain("node-1", text.Text, StringComparison.Ordinal);
            Assert.Equal(identity.DnsNames, text.DnsNames);
            Assert.Equal(identity.IpAddresses, text.IpAddresses);
            Assert.Equal(OpensslEku[identity.ExtendedKeyUsages], text.ExtendedKeyUsages);
            Assert.Equal("CA:FALSE", text.BasicConstraints);
            Assert.DoesNotContain("Code Signing", text.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_CSR_whose_subject_was_altered_after_signing_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tampered = TestCsr.Replace(TestCsr.For(key, "CN=system:node:node-0"), "node-0", "node-9");

        var error = Assert.Throws<CsrRejectedException>(() => CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), tampered));
        Assert.Contains("signature does not verify", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_CSR_with_a_damaged_signature_is_refused(bool rsa)
    {
        using AsymmetricAlgorithm key = rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tampered = TestCsr.FlipLastSignatureByte(TestCsr.For(key));

        var error = Assert.Throws<CsrRejectedException>(() => CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), tampered));
        Assert.Contains("signature does not verify", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_CSR_carrying_someone_elses_public_key_is_refused()
    {
        // The attacker takes the CA's own public key, signs the request with another key: no proof of possession.
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signedByAttacker = TestCsr.Decode(TestCsr.For(attacker));
        using var victim = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var victimSpki = victim.ExportSubjectPublicKeyInfo();
        var attackerSpki = attacker.ExportSubjectPublicKeyInfo();
        var at = signedByAttacker.AsSpan().IndexOf(attackerSpki);
        Assert.True(at > 0);
        victimSpki.CopyTo(signedByAttacker, at);

        var error = Assert.Throws<CsrRejectedException>(() =>
            CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), TestCsr.Encode(signedByAttacker)));
        Assert.Contains("signature does not verify", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unacceptable_keys_are_refused_with_the_accepted_list()
    {
        using var rsa1024 = RSA.Create(1024);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);

        foreach (var csr in new[] { TestCsr.For(rsa1024), TestCsr.For(p521), Ed25519Csr() })
        {
            var error = Assert.Throws<CsrRejectedException>(() => CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), csr));
            Assert.Contains("accepts ECDSA P-256 or P-384, or RSA of 2048 to 8192 bits", error.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void P384_and_RSA_4096_keys_are_accepted()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa4096 = RSA.Create(4096);
        using var folder = new TempFolder();

        foreach (var csr in new[] { TestCsr.For(p384), TestCsr.For(rsa4096) })
        {
            var issued = CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), csr);
            Assert.Equal(0, Openssl.Verify(folder, issued.CaPem, issued.CertificatePem).ExitCode);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a request")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n")]
    public void Malformed_input_is_refused(string csr)
    {
        var error = Assert.Throws<CsrRejectedException>(() => CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), csr));
        Assert.NotEmpty(error.Reason);
    }

    [Fact]
    public void A_certificate_in_place_of_a_request_is_refused()
    {
        var error = Assert.Throws<CsrRejectedException>(() =>
            CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), cluster.Pki.Kubernetes.CertificatePem));
        Assert.Contains("not a PEM-encoded PKCS#10", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Oversized_input_is_refused_before_parsing()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var valid = TestCsr.For(key);
        var padded = valid + new string('\n', CsrSigner.MaxCsrPemLength - valid.Length + 1);

        var error = Assert.Throws<CsrRejectedException>(() => CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), padded));
        Assert.Contains("more than the 16384 accepted", error.Reason, StringComparison.Ordinal);
        // The same request within the limit is signed.
        CsrSigner.Sign(cluster.Pki, cluster.Policy.ForAdmin(), valid);
    }

    [Fact]
    public void An_RSA_CA_issues_with_RSA_signatures()
    {
        using var folder = new TempFolder();
        using var pki = ClusterPki.Create(TestClusters.Local(KeyAlgorithm.Rsa2048));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var identity = cluster.Policy.ForSlot(cluster.Topology.FindSlot(InstanceRole.Etcd, 0)!).Single();

        var issued = CsrSigner.Sign(pki, identity, TestCsr.For(key));

        Assert.Equal(0, Openssl.Verify(folder, issued.CaPem, issued.CertificatePem, "sslserver").ExitCode);
        Assert.Contains("Signature Algorithm: sha256WithRSAEncryption", Openssl.Text(folder, issued.CertificatePem).Text,
            StringComparison.Ordinal);
    }

    private static string Ed25519Csr()
    {
        using var folder = new TempFolder();
        var result = Openssl.Run("req", "-new", "-newkey", "ed25519", "-nodes", "-keyout", folder.Combine("k.pem"),
            "-subj", "/CN=ed", "-out", folder.Combine("r.csr"));
        Assert.True(result.ExitCode == 0, result.Output);
        return File.ReadAllText(folder.Combine("r.csr"));
    }
}
