using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Installers.Etcd;
using Kubes.Agent.Pki;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Installers.Etcd;

public sealed class EtcdUnitTests
{
    internal static RoleConfig Config() => new()
    {
        Cluster = "demo", Role = Role.Etcd, Slot = 1, Name = "etcd-1", PrivateIp = "10.0.1.10", AvailabilityZone = "us-east-1b",
        Artifacts = { new Artifact { Name = "etcd", Version = "3.5.17", Sha256 = new string('a', 64), Urls = { "https://mirror/etcd.tar.gz" } } },
        Certificates = { new CertificateRequestSpec { Identity = "etcd-member/etcd-1", KeyAlgorithm = "ecdsa-p256", FileStem = "etcd-member" } },
        Etcd = new EtcdConfig
        {
            ClientPort = 2379, PeerPort = 2380, DataDir = "/data/etcd", MountPath = "/data", InitialClusterToken = "kubes-demo",
            DataVolumeTag = "demo-etcd-1",
            Members =
            {
                new EtcdMember { Name = "etcd-2", Slot = 2, PrivateIp = "10.0.2.10" },
                new EtcdMember { Name = "etcd-0", Slot = 0, PrivateIp = "10.0.0.10" },
                new EtcdMember { Name = "etcd-1", Slot = 1, PrivateIp = "10.0.1.10" },
            },
        },
    };

    private static string Render(string root)
    {
        var paths = new AgentPaths(root);
        return EtcdUnit.Build(new EtcdLayout(Config(), paths, new PkiFiles(paths))).Render();
    }

    [Fact]
    public void The_unit_on_an_instance_is_the_golden_file() => Golden.AssertMatches("etcd.service", Render("/"));

    [Fact]
    public void Under_a_root_folder_paths_move_and_loopback_is_not_claimed()
    {
        var unit = Render("/srv/i-1");

        Assert.Contains("--listen-client-urls=https://10.0.1.10:2379 \\", unit);
        Assert.Contains("--data-dir=/srv/i-1/data/etcd", unit);
        Assert.Contains("--trusted-ca-file=/srv/i-1/etc/kubes/pki/etcd-member-ca.crt", unit);
        Assert.Contains("ExecStart=/srv/i-1/usr/local/bin/etcd", unit);
    }

    [Theory]
    [InlineData("no etcd section")]
    [InlineData("without this member")]
    [InlineData("no 'etcd-member' certificate")]
    [InlineData("no 'etcd' artifact")]
    public void A_configuration_etcd_cannot_run_from_is_refused(string problem)
    {
        var config = Config();
        switch (problem)
        {
            case "no etcd section": config.Etcd = null; break;
            case "without this member": config.Etcd.Members.RemoveAt(2); break;
            case "no 'etcd-member' certificate": config.Certificates.Clear(); break;
            case "no 'etcd' artifact": config.Artifacts.Clear(); break;
        }

        var paths = new AgentPaths("/");
        var error = Assert.Throws<InvalidRoleConfigException>(() => new EtcdLayout(config, paths, new PkiFiles(paths)));

        Assert.Contains(problem, error.Message);
    }
}
