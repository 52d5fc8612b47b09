using Kubes.Controller.Cli.Commands;
using Kubes.Controller.Cli.Rendering;
using Kubes.Controller.Operations.Certs;
using Kubes.Controller.Registrar;
using Kubes.Controller.Tests.Artifacts.Support;

namespace Kubes.Controller.Tests.Cli.Rendering;

/// <summary><c>kubes certs</c> as people and programs read it, for one inventory at a fixed moment.</summary>
public sealed class CertificateInventoryRendererTests
{
    private static readonly DateTimeOffset Now = new(2026, 7, 24, 12, 0, 0, TimeSpan.Zero);

    private static IssuedCertificateRow Row(string instance, string name, string identity, string subject, string issuer, string serial,
        TimeSpan issuedAgo, TimeSpan lifetime, ExpiryFlag flag, int superseded = 0) =>
        new(new IssuedCertificateEntry(instance, name, identity, subject, issuer, serial, Now - issuedAgo - TimeSpan.FromMinutes(5),
            Now - issuedAgo + lifetime, Now - issuedAgo), flag, superseded);

    private static CertificateInventory Inventory(bool withSuperseded)
    {
        var year = TimeSpan.FromDays(365);
        IssuedCertificateRow[] rows =
        [
            Row("i-0a1b2c3d4e5f60718", "controller-0", "apiserver-etcd-client/controller-0", "CN=kube-apiserver-etcd-client, O=system:masters",
                "CN=kubes-demo-etcd-ca", "4A0F", TimeSpan.FromDays(20), year, ExpiryFlag.None),
            .. withSuperseded
                ? new[] { Row("i-0b1b2c3d4e5f60718", "etcd-0", "etcd-member/etcd-0", "CN=etcd-0", "CN=kubes-demo-etcd-ca", "51AA",
                    TimeSpan.FromDays(300), year, ExpiryFlag.Superseded) }
                : [],
            Row("i-0b1b2c3d4e5f60718", "etcd-0", "etcd-member/etcd-0", "CN=etcd-0", "CN=kubes-demo-etcd-ca", "51AB",
                TimeSpan.FromDays(60), year, ExpiryFlag.None, superseded: 1),
            Row("i-0c1b2c3d4e5f60718", "node-0", "kubelet-client/node-0", "CN=system:node:node-0, O=system:nodes",
                "CN=kubes-demo-kubernetes-ca", "77C0", TimeSpan.FromDays(350), year, ExpiryFlag.Expiring),
            Row("i-0c1b2c3d4e5f60718", "node-0", "kube-proxy/node-0", "CN=system:kube-proxy, O=system:node-proxier",
                "CN=kubes-demo-kubernetes-ca", "77C1", TimeSpan.FromSeconds(170), TimeSpan.FromMinutes(3), ExpiryFlag.Expiring),
            Row("i-0c1b2c3d4e5f60718", "node-0", "kubelet-serving/node-0", "CN=system:node:node-0, O=system:nodes",
                "CN=kubes-demo-kubernetes-ca", "77C2", TimeSpan.FromDays(366), year, ExpiryFlag.Expired),
            Row("coordinator", "kubes serve", "coordinator/kubes-coordinator", "CN=kubes-coordinator", "CN=kubes-demo-kubernetes-ca",
                "09EE", TimeSpan.FromHours(3), TimeSpan.FromDays(365), ExpiryFlag.None),
        ];
        return new CertificateInventory(Now,
        [
            new AuthorityExpiry("etcd", "CN=kubes-demo-etcd-ca", Now.AddDays(-100), Now.AddDays(3550), ExpiryFlag.None),
            new AuthorityExpiry("kubernetes", "CN=kubes-demo-kubernetes-ca", Now.AddDays(-100), Now.AddDays(3550), ExpiryFlag.None),
            new AuthorityExpiry("front-proxy", "CN=kubes-demo-front-proxy-ca", Now.AddDays(-3640), Now.AddHours(5).AddMinutes(7),
                ExpiryFlag.Expiring),
        ], rows);
    }

    [Fact]
    public void The_table_shows_the_CAs_then_each_certificate_with_its_days_left_and_flag() =>
        Golden.AssertMatches("certs.table.txt", Table(Inventory(withSuperseded: false)));

    [Fact]
    public void With_all_the_superseded_certificates_are_shown_too() =>
        Golden.AssertMatches("certs-all.table.txt", Table(Inventory(withSuperseded: true)));

    [Fact]
    public void The_json_carries_every_field_with_the_seconds_left() =>
        Golden.AssertMatches("certs.json", CertificateInventoryRenderer.Json(Inventory(withSuperseded: false)) + "\n");

    [Theory]
    [InlineData(400 * 24 * 3600, "400")]
    [InlineData(24 * 3600, "1")]
    [InlineData(5 * 3600 + 7 * 60, "<1 (5h 7m)")]
    [InlineData(130, "<1 (2m 10s)")]
    [InlineData(0, "-")]
    [InlineData(-30, "-")]
    public void Days_left_read_under_a_day_too(int seconds, string shown) =>
        Assert.Equal(shown, CertificateInventoryRenderer.DaysLeft(TimeSpan.FromSeconds(seconds)));

    private static string Table(CertificateInventory inventory)
    {
        var output = new StringWriter();
        CertificateInventoryRenderer.Render(inventory, PlanCommand.ConsoleFor(output));
        return output.ToString();
    }
}
