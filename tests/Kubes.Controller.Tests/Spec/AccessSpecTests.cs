using Kubes.Controller.Spec;

namespace Kubes.Controller.Tests.Spec;

/// <summary>spec.bastion.vpn and spec.ssh: read from a file with the line of every problem, written back by kubes init, checked
/// (lifetimes are <see cref="Lifetime"/>s, whose syntax LifetimeTests check).</summary>
public sealed class AccessSpecTests
{
    private const string Head = "apiVersion: kubes/v1\nkind: Cluster\nmetadata:\n  name: demo\n";

    [Fact]
    public void The_file_sets_the_tunnel_the_client_range_and_every_lifetime()
    {
        var result = ClusterSpecLoader.Load(Head + """
            spec:
              bastion:
                vpn:
                  splitTunnel: true
                  clientCidr: 192.168.200.0/24
                  profileLifetime: 30d
              ssh:
                hostCertificateLifetime: 12h
                userCertificateLifetime: 15m
            """, "cluster.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.FormatProblems()));
        Assert.Equal(new VpnSpec { SplitTunnel = true, ClientCidr = "192.168.200.0/24", ProfileLifetime = Lifetime.FromDays(30) },
            result.Spec.Bastion.Vpn);
        Assert.Equal(new SshSpec { HostCertificateLifetime = Lifetime.FromHours(12), UserCertificateLifetime = Lifetime.FromMinutes(15) },
            result.Spec.Ssh);
        Assert.Equal(1, result.Spec.Bastion.Count);
    }

    [Theory]
    [InlineData("  ssh:\n    userCertificateLifetime: 1 hour\n", "spec.ssh.userCertificateLifetime", 7, "is not a lifetime")]
    [InlineData("  ssh:\n    userCertificateLifetime: 8d\n", "spec.ssh.userCertificateLifetime", 7, "must be between 1m and 7d")]
    [InlineData("  ssh:\n    hostCertificateLifetime: 5m\n", "spec.ssh.hostCertificateLifetime", 7, "must be between 10m and 3650d")]
    [InlineData("  pki:\n    adminCertificateLifetime: 8d\n", "spec.pki.adminCertificateLifetime", 7, "must be between 1m and 7d")]
    [InlineData("  pki:\n    adminCertificateLifetime: soon\n", "spec.pki.adminCertificateLifetime", 7, "is not a lifetime")]
    [InlineData("  bastion:\n    vpn:\n      profileLifetime: 30m\n", "spec.bastion.vpn.profileLifetime", 8, "must be between 1h and 36500d")]
    [InlineData("  bastion:\n    vpn:\n      clientCidr: 10.0.5.0/24\n", "spec.bastion.vpn.clientCidr", 8, "overlaps spec.network.vpcCidr (10.0.0.0/16)")]
    [InlineData("  bastion:\n    vpn:\n      clientCidr: 100.64.0.0/30\n", "spec.bastion.vpn.clientCidr", 8, "must be between /16 and /29")]
    [InlineData("  bastion:\n    vpn:\n      tunnel: split\n", "spec.bastion.vpn.tunnel", 8, "unknown field")]
    public void A_wrong_value_is_reported_at_its_line(string body, string path, int line, string message)
    {
        var result = ClusterSpecLoader.Load(Head + "spec:\n" + body, "cluster.yaml");

        var problem = Assert.Single(result.Problems);
        Assert.Equal((path, line), (problem.Path, problem.Line));
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void A_short_CA_lifetime_needs_no_shorter_profile_lifetime_the_CA_s_end_caps_it()
    {
        var spec = ClusterSpecDefaults.Aws("demo") with { Pki = new PkiSpec { CaLifetime = Lifetime.FromDays(2), CertificateLifetime = Lifetime.FromDays(1) } };

        Assert.Empty(SpecValidator.Validate(spec));
    }

    [Fact]
    public void Kubes_init_writes_the_access_fields_with_their_ranges()
    {
        var yaml = ClusterSpecWriter.Write(ClusterSpecDefaults.Aws("demo"));

        Assert.Contains("splitTunnel: false", yaml);
        Assert.Contains("profileLifetime: 90d", yaml);
        Assert.Contains("userCertificateLifetime: 8h", yaml);
        Assert.Contains("hostCertificateLifetime: 30d", yaml);
        Assert.Contains("adminCertificateLifetime: 18h", yaml);
    }

    [Fact]
    public void The_admin_certificate_lifetime_is_read_from_the_file()
    {
        var result = ClusterSpecLoader.Load(Head + "spec:\n  pki:\n    adminCertificateLifetime: 2h\n", "cluster.yaml");

        Assert.True(result.IsValid, string.Join("\n", result.FormatProblems()));
        Assert.Equal(Lifetime.FromHours(2), result.Spec.Pki.AdminCertificateLifetime);
    }
}
