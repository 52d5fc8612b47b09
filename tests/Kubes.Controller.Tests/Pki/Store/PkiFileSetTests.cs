using System.Security.Cryptography;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Tests.Pki.Support;

namespace Kubes.Controller.Tests.Pki.Store;

/// <summary>Deferred decryption: what a coordinator command that may sign nothing uses (a no-op <c>kubes up</c>).</summary>
public sealed class PkiFileSetTests(SavedPkiFixture saved) : IClassFixture<SavedPkiFixture>
{
    private Task<ClusterPki> ImportAsync(string passphrase) =>
        PkiFileSet.ImportAsync(async (name, ct) => await File.ReadAllTextAsync(Path.Join(saved.Folder, name), ct),
            CaPassphrase.From(passphrase, "test"), saved.Folder, CancellationToken.None, PkiFileSet.KeyDecryption.OnFirstUse);

    [Fact]
    public async Task Deferred_keys_give_certificates_and_public_keys_without_the_passphrase_being_tried()
    {
        using var pki = await ImportAsync("not the passphrase");

        Assert.Equal(saved.Pki.Authorities.Select(ca => ca.CertificatePem), pki.Authorities.Select(ca => ca.CertificatePem));
        Assert.Equal(saved.Pki.ServiceAccount.PublicKeyPem, pki.ServiceAccount.PublicKeyPem);
        Assert.Equal(saved.Pki.ServiceAccount.KeyDescription, pki.ServiceAccount.KeyDescription);
    }

    [Fact]
    public async Task A_wrong_passphrase_fails_the_first_signature_with_the_next_step()
    {
        using var pki = await ImportAsync("not the passphrase");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var identity = new IssuancePolicy(Kubes.Controller.Topology.ClusterTopology.From(TestClusters.Local())).ForAdmin();

        var error = Assert.Throws<PkiStoreException>(() => CsrSigner.Sign(pki, identity, TestCsr.For(key)));
        Assert.Contains("passphrase is wrong", error.Message, StringComparison.Ordinal);
        // Again on the next attempt, not a different error.
        Assert.Contains("passphrase is wrong", Assert.Throws<PkiStoreException>(() => CsrSigner.Sign(pki, identity, TestCsr.For(key))).Message);
    }

    [Fact]
    public async Task Deferred_keys_sign_once_decrypted_and_keep_the_private_keys()
    {
        using var pki = await ImportAsync(SavedPkiFixture.Secret);
        using var folder = new TempFolder();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var identity = new IssuancePolicy(Kubes.Controller.Topology.ClusterTopology.From(TestClusters.Local())).ForAdmin();

        var issued = CsrSigner.Sign(pki, identity, TestCsr.For(key));

        Assert.Equal(0, Openssl.Verify(folder, saved.Pki.Kubernetes.CertificatePem, issued.CertificatePem, "sslclient").ExitCode);
        Assert.Equal(saved.Pki.ServiceAccount.PrivateKeyPem, pki.ServiceAccount.PrivateKeyPem);
    }
}
