using Kubes.Agent.Components.Etcd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Processes;
using Kubes.Agent.Services;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Components.Etcd;

/// <summary>etcd's unit per scenario, as the golden files show it, and the configurations etcd cannot run from.</summary>
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

    private static string Render(string root, RoleConfig? config = null)
    {
        var paths = new AgentPaths(root);
        return EtcdUnit.Build(new EtcdLayout(config ?? Config(), paths, new PkiFiles(paths))).Render();
    }

    [Fact]
    public void A_member_on_an_instance_is_the_golden_file() => Golden.AssertMatches("etcd-member.service", Render("/"));

    [Fact]
    public void A_member_with_the_specs_flag_overrides_is_the_golden_file()
    {
        var config = Config();
        // As the coordinator sends them: ordered by name, one overriding a flag Kubes sets, others adding flags.
        config.Etcd.ExtraArgs.Add(new Flag { Name = "auto-compaction-retention", Value = "8" });
        config.Etcd.ExtraArgs.Add(new Flag { Name = "initial-cluster-token", Value = "from-the-spec" });
        config.Etcd.ExtraArgs.Add(new Flag { Name = "quota-backend-bytes", Value = "8589934592" });

        var unit = Render("/", config);

        Golden.AssertMatches("etcd-member-extra-args.service", unit);
        Assert.DoesNotContain("--initial-cluster-token=kubes-demo", unit);
    }

    [Fact]
    public void A_member_under_a_local_root_folder_is_the_golden_file()
    {
        var unit = Render("/srv/i-1");

        Golden.AssertMatches("etcd-member-local-root.service", unit);
        Assert.Contains("--listen-client-urls=https://10.0.1.10:2379 \\", unit);
        Assert.Contains("--trusted-ca-file=/srv/i-1/etc/kubes/pki/etcd-member-ca.crt", unit);
    }

    [Fact]
    public void A_flag_override_that_is_not_a_flag_name_is_refused()
    {
        var config = Config();
        config.Etcd.ExtraArgs.Add(new Flag { Name = "--name", Value = "x" });

        var error = Assert.Throws<InvalidRoleConfigException>(() => Render("/", config));

        Assert.Contains("'--name'", error.Message);
    }

    [Fact]
    public void The_steps_keep_the_names_running_agents_have_journaled()
    {
        var paths = new AgentPaths("/srv/i-1");
        var component = EtcdClusterFixture.Component(paths,
            new ProcessServiceManager(paths, new CommandRunner(), NullLogger<ProcessServiceManager>.Instance));

        Assert.Equal(["prepare-data-volume", "download-etcd", "install-etcd", "configure-etcd", "start-etcd"],
            component.PlanSteps(Config()).Select(s => s.Name));
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
