using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Registrar;

public sealed class IssuanceRecordTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 7, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly RegistrarWorld _world;

    public IssuanceRecordTests()
    {
        _world = RegistrarWorld.Create(new FolderStateStore(_folder.Path));
    }

    public void Dispose()
    {
        _world.Dispose();
        _folder.Dispose();
    }

    private static IssuedCertificateEntry Entry(string holder, string identity, DateTimeOffset issuedAt, string serial) =>
        new(holder, holder, identity, $"CN={identity}", "CN=ca", serial, issuedAt.AddMinutes(-1), issuedAt.AddDays(365), issuedAt);

    [Fact]
    public async Task Every_certificate_the_registrar_hands_out_is_recorded_with_what_it_is_and_who_holds_it()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Controller, 0);
        var credential = (await _world.Registrar.JoinAsync(agent.Join(), null)).AgentCredential;
        var (serving, servingKey) = TestAgent.Csr("apiserver/controller-0");
        var (client, clientKey) = TestAgent.Csr("apiserver-etcd-client/controller-0");
        using var _ = servingKey;
        using var __ = clientKey;

        var issued = await _world.Registrar.CertifyAsync(agent.Certify(credential, serving, client), null);

        var recorded = await new IssuanceRecord(_world.Store).ListAsync(everyIssuance: true);
        Assert.Equal(["apiserver-etcd-client/controller-0", "apiserver/controller-0"], recorded.Select(h => h.Newest.Identity));
        foreach (var history in recorded)
        {
            var entry = history.Newest;
            using var certificate = X509Certificate2.CreateFromPem(issued.Certificates.Single(c => c.Identity == entry.Identity).CertificatePem);
            Assert.Equal((agent.InstanceId, "controller-0"), (entry.Holder, entry.Name));
            Assert.Equal((certificate.Subject, certificate.Issuer, certificate.SerialNumber), (entry.Subject, entry.Issuer, entry.SerialNumber));
            Assert.Equal((certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime()),
                (entry.NotBefore.UtcDateTime, entry.NotAfter.UtcDateTime));
            Assert.Equal(_world.Clock.GetUtcNow(), entry.IssuedAt);
        }
    }

    [Fact]
    public async Task A_refused_certify_records_nothing()
    {
        var agent = await _world.LaunchAsync(InstanceRole.Etcd, 0);
        var credential = (await _world.Registrar.JoinAsync(agent.Join(), null)).AgentCredential;
        var (own, ownKey) = TestAgent.Csr("etcd-member/etcd-0");
        var (foreign, foreignKey) = TestAgent.Csr("etcd-member/etcd-1");
        using var _ = ownKey;
        using var __ = foreignKey;

        await Assert.ThrowsAsync<RegistrationRefusedException>(() => _world.Registrar.CertifyAsync(agent.Certify(credential, own, foreign), null));

        Assert.Empty(await new IssuanceRecord(_world.Store).ListAsync(everyIssuance: true));
    }

    [Fact]
    public async Task The_newest_per_holder_and_identity_is_read_alone_and_counts_those_it_superseded()
    {
        var record = new IssuanceRecord(_world.Store);
        await record.RecordAsync(Entry("i-0aaa", "etcd-member/etcd-0", At, "01"));
        await record.RecordAsync(Entry("i-0aaa", "etcd-member/etcd-0", At.AddDays(250), "03"));
        await record.RecordAsync(Entry("i-0aaa", "etcd-member/etcd-0", At.AddDays(100), "02"));
        await record.RecordAsync(Entry("i-0bbb", "etcd-member/etcd-0", At.AddDays(300), "04"));
        await record.RecordAsync(Entry(IssuanceRecord.CoordinatorHolder, "coordinator/kubes-coordinator", At, "05"));

        var newest = await record.ListAsync(everyIssuance: false);
        var every = await record.ListAsync(everyIssuance: true);

        Assert.Equal([("coordinator", "05", 0), ("i-0aaa", "03", 2), ("i-0bbb", "04", 0)],
            newest.Select(h => (h.Newest.Holder, h.Newest.SerialNumber, h.Superseded)));
        Assert.All(newest, h => Assert.Single(h.Issued));
        Assert.Equal(["01", "02", "03"], every.Single(h => h.Newest.Holder == "i-0aaa").Issued.Select(e => e.SerialNumber));
        Assert.Contains("pki/issued/i-0aaa/etcd-member/etcd-0/20260724T100000.0000000Z-01.json", await _world.Store.ListAsync("pki/issued/"));
    }

    [Fact]
    public async Task A_holder_or_identity_that_is_not_a_state_key_is_refused_before_anything_is_written()
    {
        var record = new IssuanceRecord(_world.Store);

        await Assert.ThrowsAsync<ArgumentException>(() => record.RecordAsync(Entry("../../pki", "etcd-member/etcd-0", At, "01")));
        await Assert.ThrowsAsync<ArgumentException>(() => record.RecordAsync(Entry("i-0aaa", "etcd-member/../x", At, "01")));

        Assert.Empty(await _world.Store.ListAsync("pki/"));
    }
}
