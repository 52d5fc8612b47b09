using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Pki;

public sealed class KeyStoreTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private KeyStore Store() => new(new PkiFiles(new AgentPaths(_root.Path)), NullLogger<KeyStore>.Instance);

    private static CertificateRequestSpec Spec(string algorithm) =>
        new() { Identity = "etcd-member/etcd-0", KeyAlgorithm = algorithm, FileStem = "etcd-member" };

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa-2048")]
    public void A_key_is_written_owner_only_and_reused_on_restart(string algorithm)
    {
        using var made = Store().GetOrCreate(Spec(algorithm));
        var path = _root.Join("etc", "kubes", "pki", "etcd-member.key");

        using var again = Store().GetOrCreate(Spec(algorithm));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(made.SubjectPublicKeyInfo, again.SubjectPublicKeyInfo);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path));
    }

    [Fact]
    public void A_key_of_another_algorithm_is_replaced()
    {
        using var ecdsa = Store().GetOrCreate(Spec("ecdsa-p256"));

        using var rsa = Store().GetOrCreate(Spec("rsa-2048"));

        Assert.IsAssignableFrom<RSA>(rsa.Key);
        Assert.NotEqual(ecdsa.SubjectPublicKeyInfo, rsa.SubjectPublicKeyInfo);
    }

    [Fact]
    public void An_unknown_algorithm_is_refused_with_the_list_the_agent_knows() =>
        Assert.Contains("ecdsa-p256", Assert.Throws<NotSupportedException>(() => Store().GetOrCreate(Spec("dsa-1024"))).Message);

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa-2048")]
    public void The_csr_names_the_identity_and_is_signed_by_the_key(string algorithm)
    {
        using var key = Store().GetOrCreate(Spec(algorithm));

        var csr = CertificateRequest.LoadSigningRequestPem(key.CreateSigningRequestPem("etcd-member/etcd-0"),
            HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);

        Assert.Equal("CN=etcd-member/etcd-0", csr.SubjectName.Name);
        Assert.Equal(key.SubjectPublicKeyInfo, csr.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_file_stem_that_is_a_path_is_refused() =>
        Assert.Throws<ArgumentException>(() => Store().GetOrCreate(new CertificateRequestSpec
        {
            Identity = "x", KeyAlgorithm = "ecdsa-p256", FileStem = "../../etc/shadow",
        }));
}
