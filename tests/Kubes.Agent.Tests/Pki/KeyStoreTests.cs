using System.Security.Cryptography;
using Kubes.Agent.Configuration;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Pki;

public sealed class KeyStoreTests : IDisposable
{
    private readonly TempRoot _root = new();

    public void Dispose() => _root.Dispose();

    private KeyStore Store() => new(new PkiFiles(new AgentPaths(_root.Path)));

    private static CertificateRequestSpec Spec(string algorithm) =>
        new() { Identity = "etcd-member/etcd-0", KeyAlgorithm = algorithm, FileStem = "etcd-member" };

    [Theory]
    [InlineData("ecdsa-p256")]
    [InlineData("rsa-2048")]
    public void A_key_is_written_owner_only_and_found_again_after_a_restart(string algorithm)
    {
        using var made = AgentKey.Generate(algorithm);
        Store().Install(Spec(algorithm), made);
        var path = _root.Join("etc", "kubes", "pki", "etcd-member.key");

        using var found = Store().Find(Spec(algorithm));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(made.SubjectPublicKeyInfo, found!.SubjectPublicKeyInfo);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path));
    }

    [Fact]
    public void No_key_or_a_key_of_another_algorithm_is_not_found()
    {
        Assert.Null(Store().Find(Spec("ecdsa-p256")));
        using var ecdsa = AgentKey.Generate("ecdsa-p256");
        Store().Install(Spec("ecdsa-p256"), ecdsa);

        Assert.Null(Store().Find(Spec("rsa-2048")));
        using var rsa = AgentKey.Generate("rsa-2048");
        Store().Install(Spec("rsa-2048"), rsa);
        Assert.IsAssignableFrom<RSA>(Store().Find(Spec("rsa-2048"))!.Key);
    }

    [Fact]
    public void A_file_stem_that_is_a_path_is_refused()
    {
        using var key = AgentKey.Generate("ecdsa-p256");
        Assert.Throws<ArgumentException>(() => Store().Install(new CertificateRequestSpec
        {
            Identity = "x", KeyAlgorithm = "ecdsa-p256", FileStem = "../../etc/shadow",
        }, key));
    }
}
