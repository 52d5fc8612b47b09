using Kubes.Controller.Operations.Certs;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Pki.Support;
using TempFolder = Kubes.Controller.Tests.State.TempFolder;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Operations.Certs;

public sealed class ClusterCertificatesTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public ClusterCertificatesTests()
    {
        _store = new FolderStateStore(_folder.Path);
    }

    public void Dispose() => _folder.Dispose();

    private Task RecordAsync(string holder, string name, string identity, TimeSpan issuedAgo, TimeSpan lifetime, string serial) =>
        new IssuanceRecord(_store).RecordAsync(new IssuedCertificateEntry(holder, name, identity, $"CN={name}", "CN=kubes-demo-etcd-ca",
            serial, _now - issuedAgo, _now - issuedAgo + lifetime, _now - issuedAgo));

    [Fact]
    public async Task Lists_the_CAs_and_the_newest_certificate_per_holder_and_identity_with_its_flag()
    {
        using (await new ClusterPkiRepository(_store, _ => "a long enough passphrase").LoadOrCreateAsync(TestClusters.Local(), CancellationToken.None))
        {
        }
        var year = TimeSpan.FromDays(365);
        await RecordAsync("i-0etcd0", "etcd-0", "etcd-member/etcd-0", TimeSpan.FromDays(300), year, "01");
        await RecordAsync("i-0etcd0", "etcd-0", "etcd-member/etcd-0", TimeSpan.FromDays(10), year, "02");
        await RecordAsync("i-0etcd1", "etcd-1", "etcd-member/etcd-1", TimeSpan.FromDays(340), year, "03");
        await RecordAsync("i-0node0", "node-0", "kubelet-client/node-0", TimeSpan.FromDays(400), year, "04");
        await RecordAsync(IssuanceRecord.CoordinatorHolder, "kubes serve", "coordinator/kubes-coordinator", TimeSpan.FromSeconds(160),
            TimeSpan.FromMinutes(3), "05");

        var newest = await ClusterCertificates.ReadAsync(_store, everyIssuance: false, _now, CancellationToken.None);
        var every = await ClusterCertificates.ReadAsync(_store, everyIssuance: true, _now, CancellationToken.None);

        Assert.True(newest.HasPki);
        Assert.Equal(["etcd", "kubernetes", "front-proxy", "vpn"], newest.Authorities.Select(a => a.Name));
        Assert.All(newest.Authorities, a => Assert.Equal(ExpiryFlag.None, a.Flag));
        Assert.Equal(
        [
            ("etcd-0", "02", ExpiryFlag.None, 1), ("etcd-1", "03", ExpiryFlag.Expiring, 0), ("node-0", "04", ExpiryFlag.Expired, 0),
            ("kubes serve", "05", ExpiryFlag.Expiring, 0),
        ], newest.Certificates.Select(c => (c.Certificate.Name, c.Certificate.SerialNumber, c.Flag, c.Superseded)));
        Assert.Equal(3, newest.Flagged);
        Assert.Equal(["01", "02"], every.Certificates.Where(c => c.Certificate.Name == "etcd-0").Select(c => c.Certificate.SerialNumber));
        Assert.Equal(ExpiryFlag.Superseded, every.Certificates.Single(c => c.Certificate.SerialNumber == "01").Flag);
        Assert.Equal(newest.Flagged, every.Flagged);
    }

    [Fact]
    public async Task A_cluster_without_CAs_has_no_PKI_to_show()
    {
        var inventory = await ClusterCertificates.ReadAsync(_store, everyIssuance: false, _now, CancellationToken.None);

        Assert.False(inventory.HasPki);
        Assert.Empty(inventory.Certificates);
    }
}
