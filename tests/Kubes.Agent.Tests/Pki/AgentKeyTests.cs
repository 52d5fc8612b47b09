using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Pki;

namespace Kubes.Agent.Tests.Pki;

public sealed class AgentKeyTests
{
    [Fact]
    public void An_unknown_algorithm_is_refused_with_the_list_the_agent_knows() =>
        Assert.Contains("ecdsa-p256", Assert.Throws<NotSupportedException>(() => AgentKey.Generate("dsa-1024")).Message);

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa-2048")]
    public void The_csr_names_the_identity_and_is_signed_by_the_key(string algorithm)
    {
        using var key = AgentKey.Generate(algorithm);

        var csr = CertificateRequest.LoadSigningRequestPem(key.CreateSigningRequestPem("etcd-member/etcd-0"),
            HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);

        Assert.Equal("CN=etcd-member/etcd-0", csr.SubjectName.Name);
        Assert.Equal(key.SubjectPublicKeyInfo, csr.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_pem_key_is_read_back_only_as_its_own_algorithm()
    {
        using var key = AgentKey.Generate("rsa-2048");

        using var read = AgentKey.FromPem("rsa-2048", key.ExportPem());

        Assert.Equal(key.SubjectPublicKeyInfo, read!.SubjectPublicKeyInfo);
        Assert.Null(AgentKey.FromPem("ecdsa-p256", key.ExportPem()));
        Assert.Null(AgentKey.FromPem("rsa-4096", key.ExportPem()));
    }
}
