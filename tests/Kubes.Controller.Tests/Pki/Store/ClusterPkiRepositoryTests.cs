using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Pki.Support;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Pki.Store;

public sealed class ClusterPkiRepositoryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_CA_certificates_are_read_without_the_passphrase_and_none_before_the_first_up()
    {
        var store = new FolderStateStore(_folder.Path);
        Assert.Empty(await new ClusterPkiRepository(store).LoadCertificatesAsync(CancellationToken.None));
        using var pki = await new ClusterPkiRepository(store, _ => "the operator's passphrase")
            .LoadOrCreateAsync(TestClusters.Local(), CancellationToken.None);

        var certificates = await new ClusterPkiRepository(store, _ => null).LoadCertificatesAsync(CancellationToken.None);

        Assert.Equal(pki.Authorities.Select(ca => (ca.Kind, ca.Certificate.Thumbprint)),
            certificates.Select(c => (c.Kind, c.Certificate.Thumbprint)));
        Assert.All(certificates, c => Assert.False(c.Certificate.HasPrivateKey));
        foreach (var (_, certificate) in certificates) certificate.Dispose();
    }
}
