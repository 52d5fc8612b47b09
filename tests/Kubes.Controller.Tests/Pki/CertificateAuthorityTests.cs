using System.Security.Cryptography;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Pki;

public class CertificateAuthorityTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, "id-ecPublicKey", "ecdsa-with-SHA256")]
    [InlineData(KeyAlgorithm.Rsa2048, "rsaEncryption", "sha256WithRSAEncryption")]
    public void A_CA_certificate_is_a_self_signed_leaf_only_CA(KeyAlgorithm algorithm, string keyType, string signature)
    {
        using var folder = new TempFolder();
        var clock = new FixedClock();
        using var ca = CertificateAuthority.Create("demo", CertificateAuthorityKind.FrontProxy,
            new PkiSpec { KeyAlgorithm = algorithm, CaLifetime = Lifetime.FromDays(1000) }, clock);

        var text = Openssl.Text(folder, ca.CertificatePem);

        Assert.Equal("CN=kubes-demo-front-proxy-ca", text.Subject);
        Assert.Equal(text.Subject, text.Issuer);
        Assert.Equal("CA:TRUE, pathlen:0", text.BasicConstraints);
        Assert.True(text.BasicConstraintsCritical);
        Assert.Equal(["Certificate Sign", "CRL Sign"], text.KeyUsages);
        Assert.True(text.KeyUsageCritical);
        Assert.NotNull(text.SubjectKeyId);
        Assert.Equal(text.SubjectKeyId, text.AuthorityKeyId);
        Assert.Contains($"Public Key Algorithm: {keyType}", text.Text, StringComparison.Ordinal);
        Assert.Contains($"Signature Algorithm: {signature}", text.Text, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(5), text.NotBefore);
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddDays(1000), text.NotAfter);
        Assert.Equal(32, text.SerialHex.Length);
        var self = Openssl.Run("verify", "-attime", clock.GetUtcNow().ToUnixTimeSeconds().ToString(), "-CAfile",
            folder.Write("ca.crt", ca.CertificatePem), folder.Combine("ca.crt"));
        Assert.True(self.ExitCode == 0, self.Output);
    }

    [Fact]
    public void The_four_CAs_are_distinct_and_named_after_the_cluster()
    {
        using var pki = ClusterPki.Create(TestClusters.Local() with { Name = "prod" });

        Assert.Equal(
            ["CN=kubes-prod-etcd-ca", "CN=kubes-prod-kubernetes-ca", "CN=kubes-prod-front-proxy-ca", "CN=kubes-prod-vpn-ca"],
            pki.Authorities.Select(ca => ca.Certificate.Subject));
        Assert.Equal(4, pki.Authorities.Select(ca => ca.Certificate.GetPublicKeyString()).Distinct().Count());
        Assert.Equal(["kubes-prod-ssh-host-ca", "kubes-prod-ssh-user-ca"], pki.SshAuthorities.Select(ca => ca.PublicKey.Comment));
        Assert.False(pki.SshHost.PublicKey.SameKeyAs(pki.SshUser.PublicKey));
        Assert.All(Enum.GetValues<CertificateAuthorityKind>(), kind => Assert.Equal(kind, pki[kind].Kind));
        Assert.All(pki.Authorities, ca => Assert.False(ca.Certificate.HasPrivateKey));
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcdsaP256, 2048)]
    [InlineData(KeyAlgorithm.Rsa4096, 4096)]
    public void The_service_account_key_is_RSA_for_RS256_tokens(KeyAlgorithm algorithm, int expectedBits)
    {
        using var folder = new TempFolder();
        using var pair = ServiceAccountKeyPair.Create(new PkiSpec { KeyAlgorithm = algorithm });

        var publicKey = Openssl.Run("pkey", "-pubin", "-in", folder.Write("sa.pub", pair.PublicKeyPem), "-noout", "-text");
        Assert.True(publicKey.ExitCode == 0, publicKey.Output);
        Assert.Contains($"Public-Key: ({expectedBits} bit)", publicKey.StandardOutput, StringComparison.Ordinal);

        // The private key is the public key's pair: a signature made with one verifies with the other.
        using var signer = RSA.Create();
        signer.ImportFromPem(pair.PrivateKeyPem);
        using var verifier = RSA.Create();
        verifier.ImportFromPem(pair.PublicKeyPem);
        var data = "header.payload"u8.ToArray();
        var signature = signer.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(verifier.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
