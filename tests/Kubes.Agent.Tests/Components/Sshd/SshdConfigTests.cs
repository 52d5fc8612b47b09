using Kubes.Agent.Components.Sshd;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Processes;
using Kubes.Agent.Channels;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.Sshd;

/// <summary>The SSH server's rendered files per scenario, as the golden files show them, and what it refuses to run from.</summary>
public sealed class SshdConfigTests
{
    private const string UserCa = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGD1gNK5AEkfAwiNk6AWrX7EdSi0mTfoAv6FpfEwXFe7l48Bw1ZjW8J8Ngkxi1H3xVYI2SH9lxo+2fyqjFW/KGk= kubes-demo-ssh-user-ca";

    internal static RoleConfig Config(bool fromDistribution = true)
    {
        var config = new RoleConfig
        {
            Cluster = "demo", Role = Role.Etcd, Slot = 1, Name = "etcd-1", PrivateIp = "10.0.1.10", AvailabilityZone = "us-east-1b",
            Sshd = new SshdConfig
            {
                Port = 22, LoginUser = "kubes", UserCaPublicKey = UserCa,
                AuthorizedPrincipals = { "kubes-admin" },
                HostPrincipals = { "etcd-1", "10.0.1.10", "etcd-1.demo.kubes.internal" },
            },
        };
        config.Artifacts.Add(fromDistribution
            ? new Artifact { Name = "openssh-server", DistributionPackages = { "openssh-server" } }
            : new Artifact { Name = "openssh-server", Version = "9.2", Sha256 = new string('b', 64), Urls = { "file:///mirror/openssh.tar.gz" } });
        return config;
    }

    private static SshdLayout Layout(string root, RoleConfig? config = null, bool fromDistribution = true)
    {
        var paths = new AgentPaths(root);
        return new SshdLayout(config ?? Config(fromDistribution), paths, ComponentSteps.For(paths));
    }

    [Fact]
    public void On_an_instance_sshd_config_is_the_golden_file() =>
        Golden.AssertMatches("sshd_config", SshdConfigFile.Render(Layout("/")));

    [Fact]
    public void Under_a_local_root_folder_sshd_config_is_the_golden_file()
    {
        var rendered = SshdConfigFile.Render(Layout("/srv/i 1", fromDistribution: false));

        Golden.AssertMatches("sshd_config-local-root", rendered);
        Assert.Contains("HostKey \"/srv/i 1/etc/ssh/ssh_host_ed25519_key\"", rendered);
        Assert.DoesNotContain("StrictModes", rendered);
    }

    [Fact]
    public void Its_unit_is_the_golden_file() => Golden.AssertMatches("kubes-sshd.service", SshdUnit.Build(Layout("/")).Render());

    [Fact]
    public void The_accepted_principals_map_to_the_login_user_in_a_last_Match_block_that_reads_no_file()
    {
        var config = Config();
        config.Sshd.AuthorizedPrincipals.Add("oncall@demo");

        var lines = SshdConfigFile.Render(Layout("/", config)).TrimEnd('\n').Split('\n');

        Assert.Contains("AuthorizedPrincipalsFile none", lines);
        Assert.Equal(["Match User kubes", "    AuthorizedPrincipalsCommand /bin/printf %%s\\n kubes-admin oncall@demo",
            "    AuthorizedPrincipalsCommandUser nobody"], lines[^3..]);
    }

    [Fact]
    public void The_login_user_may_use_sudo_from_a_file_sudo_reads_whole()
    {
        // sudo skips files of sudoers.d whose name holds a dot or ends with ~.
        Assert.Equal("/etc/sudoers.d/kubes-operators", Layout("/").SudoersFile);
        Assert.Equal("# Written by kubes-agent; changes are overwritten.\nkubes ALL=(ALL:ALL) NOPASSWD: ALL\n",
            SshdConfigFile.Sudoers(Layout("/")));
    }

    [Fact]
    public void Programs_come_from_the_distribution_on_an_instance_and_from_the_verified_archive_otherwise()
    {
        Assert.Equal(("/usr/sbin/sshd", "/usr/bin/ssh-keygen"), (Layout("/").Program, Layout("/").KeyGen));
        Assert.Equal(("/srv/i-1/usr/local/bin/sshd", "/srv/i-1/usr/local/bin/ssh-keygen"),
            (Layout("/srv/i-1", fromDistribution: false).Program, Layout("/srv/i-1", fromDistribution: false).KeyGen));
    }

    [Fact]
    public void The_steps_keep_their_names()
    {
        var paths = new AgentPaths("/");
        var component = Component(paths);

        Assert.Equal(
            ["install-openssh", "stop-distribution-ssh", "ssh-login-user", "configure-login-user-sudo", "ssh-host-key", "certify-ssh-host-key", "configure-sshd-config",
             "configure-sshd-user-ca", "configure-kubes-sshd", "start-kubes-sshd"],
            component.PlanSteps(Config()).Select(s => s.Name));
        Assert.Equal(
            ["download-openssh-server", "install-openssh", "ssh-login-user", "configure-login-user-sudo", "ssh-host-key", "certify-ssh-host-key", "configure-sshd-config",
             "configure-sshd-user-ca", "configure-kubes-sshd", "start-kubes-sshd"],
            Component(new AgentPaths("/srv/i-1")).PlanSteps(Config(fromDistribution: false)).Select(s => s.Name));
    }

    [Theory]
    [InlineData("has no sshd section")]
    [InlineData("names root as the login user")]
    [InlineData("is not a user name")]
    [InlineData("names no principal for the login user")]
    [InlineData("or one that is not letters")]
    [InlineData("names no principal for the host certificate")]
    [InlineData("has no SSH user CA public key")]
    [InlineData("has no 'openssh-server' artifact")]
    public void A_configuration_sshd_cannot_run_from_is_refused(string problem)
    {
        var config = Config();
        switch (problem)
        {
            case "has no sshd section": config.Sshd = null; break;
            case "names root as the login user": config.Sshd.LoginUser = "root"; break;
            case "is not a user name": config.Sshd.LoginUser = "../kubes"; break;
            case "names no principal for the login user": config.Sshd.AuthorizedPrincipals.Clear(); break;
            case "or one that is not letters": config.Sshd.AuthorizedPrincipals.Add("admin\nMatch all"); break;
            case "names no principal for the host certificate": config.Sshd.HostPrincipals.Clear(); break;
            case "has no SSH user CA public key": config.Sshd.UserCaPublicKey = ""; break;
            case "has no 'openssh-server' artifact": config.Artifacts.Clear(); break;
        }

        var error = Assert.Throws<InvalidRoleConfigException>(() => Layout("/", config));

        Assert.Contains(problem, error.Message);
    }

    /// <summary>Planning steps asks the coordinator nothing.</summary>
    private sealed class UnreachableRegistrar : IRegistrarChannel
    {
        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) => throw new InvalidOperationException();
    }

    private static SshdComponent Component(AgentPaths paths) =>
        new(paths, ComponentSteps.For(paths), new CommandRunner(), new UnreachableRegistrar(), new AgentSession(), TimeProvider.System,
            new SshdHealthCheck(TimeProvider.System));
}
