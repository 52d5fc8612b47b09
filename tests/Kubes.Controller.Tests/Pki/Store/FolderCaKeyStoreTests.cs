using System.Runtime.Versioning;
using System.Security.Cryptography;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Spec;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Pki.Store;

/// <summary>One PKI saved once (key derivation is deliberately slow); tests work on copies of its folder.</summary>
public sealed class SavedPkiFixture : IDisposable
{
    public const string Secret = "correct horse battery staple";

    private readonly TempFolder template = new();

    public SavedPkiFixture()
    {
        Pki = ClusterPki.Create(TestClusters.Local(KeyAlgorithm.Rsa2048));
        Written = new FolderCaKeyStore(template.Path, CaPassphrase.From(Secret, "test")).SaveAsync(Pki).GetAwaiter().GetResult();
    }

    public ClusterPki Pki { get; }
    public IReadOnlyList<string> Written { get; }
    public string Folder => template.Path;

    public TempFolder Copy()
    {
        var copy = new TempFolder();
        foreach (var file in Directory.GetFiles(template.Path)) File.Copy(file, copy.Combine(Path.GetFileName(file)));
        return copy;
    }

    public void Dispose()
    {
        Pki.Dispose();
        template.Dispose();
    }
}

[SupportedOSPlatform("linux")]
public class FolderCaKeyStoreTests(SavedPkiFixture saved) : IClassFixture<SavedPkiFixture>
{
    private const string Secret = SavedPkiFixture.Secret;
    private static readonly CaPassphrase Passphrase = CaPassphrase.From(Secret, "test");

    private static readonly string[] PrivateKeyFiles =
        ["etcd-ca.key", "kubernetes-ca.key", "front-proxy-ca.key", "vpn-ca.key", "sa.key", "ssh-host-ca.key", "ssh-user-ca.key"];

    [Fact]
    public void Saved_files_are_private_and_every_private_key_is_encrypted()
    {
        using var folder = new TempFolder();
        var written = saved.Written;
        var store = new FolderCaKeyStore(saved.Folder, Passphrase);

        Assert.Equal(
            ["etcd-ca.crt", "etcd-ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "kubernetes-ca.crt",
             "kubernetes-ca.key", "sa.key", "sa.pub", "ssh-host-ca.key", "ssh-host-ca.pub", "ssh-user-ca.key", "ssh-user-ca.pub",
             "vpn-ca.crt", "vpn-ca.key"],
            written.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(store.Folder));
        Assert.All(written, path => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path)));
        Assert.Equal(written.Count, Directory.GetFiles(store.Folder).Length);
        Assert.All(Directory.GetFiles(store.Folder), path =>
            Assert.DoesNotContain("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal));

        foreach (var name in PrivateKeyFiles)
        {
            var path = Path.Combine(store.Folder, name);
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(path), StringComparison.Ordinal);

            var withoutPassphrase = Openssl.Run("pkey", "-in", path, "-passin", "pass:", "-noout");
            Assert.NotEqual(0, withoutPassphrase.ExitCode);
            var right = Openssl.Run("pkey", "-in", path, "-passin", $"file:{folder.Write("pass", Secret + "\n")}", "-noout");
            Assert.True(right.ExitCode == 0, $"{name}: {right.Output}");

            var structure = Openssl.Run("asn1parse", "-in", path).StandardOutput;
            Assert.Contains(":PBES2", structure, StringComparison.Ordinal);
            Assert.Contains(":PBKDF2", structure, StringComparison.Ordinal);
            Assert.Contains(":hmacWithSHA256", structure, StringComparison.Ordinal);
            Assert.Contains(":aes-256-cbc", structure, StringComparison.Ordinal);
            Assert.True(Pbkdf2Iterations(structure) >= 600_000, structure);
        }
    }

    /// <summary>The first INTEGER after the PBKDF2 identifier (after the salt) in openssl asn1parse output.</summary>
    private static int Pbkdf2Iterations(string asn1)
    {
        var lines = asn1.Split('\n');
        var pbkdf2 = Array.FindIndex(lines, l => l.EndsWith(":PBKDF2", StringComparison.Ordinal));
        var integer = lines.Skip(pbkdf2).First(l => l.Contains("prim: INTEGER", StringComparison.Ordinal));
        return Convert.ToInt32(integer[(integer.LastIndexOf(':') + 1)..].Trim(), 16);
    }

    [Fact]
    public async Task A_loaded_PKI_is_the_saved_one_and_still_signs()
    {
        using var folder = new TempFolder();
        using var loaded = await new FolderCaKeyStore(saved.Folder, CaPassphrase.From(Secret, "test")).LoadAsync();
        var original = saved.Pki;

        Assert.Equal(original.Authorities.Select(ca => ca.CertificatePem), loaded.Authorities.Select(ca => ca.CertificatePem));
        Assert.Equal(original.ServiceAccount.PrivateKeyPem, loaded.ServiceAccount.PrivateKeyPem);
        Assert.Equal(original.ServiceAccount.PublicKeyPem, loaded.ServiceAccount.PublicKeyPem);

        // A certificate signed by the loaded CA verifies against the CA as it was first written.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var identity = new IssuancePolicy(Kubes.Controller.Topology.ClusterTopology.From(TestClusters.Local())).ForAdmin();
        var issued = CsrSigner.Sign(loaded, identity, TestCsr.For(key));
        Assert.Equal(0, Openssl.Verify(folder, original.Kubernetes.CertificatePem, issued.CertificatePem, "sslclient").ExitCode);
    }

    [Fact]
    public async Task The_wrong_passphrase_is_refused_with_the_next_step()
    {
        var error = await Assert.ThrowsAsync<PkiStoreException>(() =>
            new FolderCaKeyStore(saved.Folder, CaPassphrase.From("correct horse battery stable", "test")).LoadAsync());

        Assert.Contains("etcd-ca.key", error.Message, StringComparison.Ordinal);
        Assert.Contains("passphrase is wrong", error.Message, StringComparison.Ordinal);
        Assert.Contains("KUBES_CA_PASSPHRASE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_PKI_is_never_overwritten()
    {
        using var folder = saved.Copy();
        File.Delete(folder.Combine("sa.key"));
        var store = new FolderCaKeyStore(folder.Path, Passphrase);
        using var second = ClusterPki.Create(TestClusters.Local());
        var before = File.ReadAllText(folder.Combine("kubernetes-ca.key"));

        Assert.True(await store.ExistsAsync());
        var error = await Assert.ThrowsAsync<PkiStoreException>(() => store.SaveAsync(second));

        Assert.Contains("never overwritten", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(folder.Combine("kubernetes-ca.key")));
    }

    [Fact]
    public async Task A_missing_file_is_named()
    {
        using var folder = saved.Copy();
        File.Delete(folder.Combine("front-proxy-ca.crt"));

        var error = await Assert.ThrowsAsync<PkiStoreException>(() => new FolderCaKeyStore(folder.Path, Passphrase).LoadAsync());

        Assert.Contains("front-proxy-ca.crt is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_swapped_for_another_CAs_key_is_refused()
    {
        using var folder = saved.Copy();
        File.Copy(folder.Combine("kubernetes-ca.key"), folder.Combine("etcd-ca.key"), overwrite: true);

        var error = await Assert.ThrowsAsync<PkiStoreException>(() => new FolderCaKeyStore(folder.Path, Passphrase).LoadAsync());

        Assert.Contains("etcd-ca.key does not belong to etcd-ca.crt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_key_file_is_named()
    {
        using var folder = saved.Copy();
        File.WriteAllText(folder.Combine("sa.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        var error = await Assert.ThrowsAsync<PkiStoreException>(() => new FolderCaKeyStore(folder.Path, Passphrase).LoadAsync());

        Assert.Contains("cannot decrypt", error.Message, StringComparison.Ordinal);
        Assert.Contains("sa.key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_is_named() =>
        Assert.Contains("does not exist",
            (await Assert.ThrowsAsync<PkiStoreException>(() =>
                new FolderCaKeyStore("/nonexistent/kubes-pki", Passphrase).LoadAsync())).Message,
            StringComparison.Ordinal);
}
