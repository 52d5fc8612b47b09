using Kubes.Agent.Components.OpenVpn;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Processes;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Components.OpenVpn;

/// <summary>The bastion's OpenVPN server per scenario, as the golden files show it, and what it refuses to run from.</summary>
public sealed class OpenVpnConfigTests
{
    private const string TlsCrypt = "-----BEGIN OpenVPN Static key V1-----\n0123\n-----END OpenVPN Static key V1-----\n";
    private const string Crl = "-----BEGIN X509 CRL-----\nMA==\n-----END X509 CRL-----\n";

    internal static RoleConfig Config(bool fullTunnel = true, bool fromDistribution = true)
    {
        var config = new RoleConfig
        {
            Cluster = "demo", Role = Role.Bastion, Slot = 0, Name = "bastion-0", PrivateIp = "10.0.128.10", AvailabilityZone = "us-east-1a",
            Certificates = { new CertificateRequestSpec { Identity = "vpn-server/bastion-0", KeyAlgorithm = "ecdsa-p256", FileStem = "vpn-server" } },
            Openvpn = new OpenVpnConfig
            {
                Port = 1194, ClientNetwork = "100.64.0.0/24", FullTunnel = fullTunnel, TlsCryptKey = TlsCrypt, CrlPem = Crl,
                Routes = { "10.0.0.0/16" }, DnsServers = { "10.0.0.2" },
            },
        };
        config.Artifacts.Add(fromDistribution
            ? new Artifact { Name = "openvpn", DistributionPackages = { "openvpn", "iptables" } }
            : new Artifact { Name = "openvpn", Version = "2.6", Sha256 = new string('c', 64), Urls = { "file:///mirror/openvpn.tar.gz" } });
        return config;
    }

    private static OpenVpnLayout Layout(string root, RoleConfig? config = null)
    {
        var paths = new AgentPaths(root);
        return new OpenVpnLayout(config ?? Config(), paths, new PkiFiles(paths), ComponentSteps.For(paths));
    }

    [Fact]
    public void A_full_tunnel_on_an_instance_is_the_golden_file()
    {
        var rendered = OpenVpnServerConfig.Render(Layout("/"));

        Golden.AssertMatches("server-full-tunnel.conf", rendered);
        Assert.Contains("push \"redirect-gateway def1\"\n", rendered);
        Assert.Contains("user nobody\n", rendered);
    }

    [Fact]
    public void A_split_tunnel_pushes_only_the_VPC()
    {
        var rendered = OpenVpnServerConfig.Render(Layout("/", Config(fullTunnel: false)));

        Golden.AssertMatches("server-split-tunnel.conf", rendered);
        Assert.DoesNotContain("redirect-gateway", rendered);
        Assert.Contains("push \"route 10.0.0.0 255.255.0.0\"\n", rendered);
    }

    [Fact]
    public void Under_a_local_root_folder_openvpn_keeps_root_to_read_the_revocation_list_again()
    {
        var rendered = OpenVpnServerConfig.Render(Layout("/srv/i-1", Config(fromDistribution: false)));

        Golden.AssertMatches("server-local-root.conf", rendered);
        Assert.DoesNotContain("user nobody", rendered);
        Assert.Contains("crl-verify /srv/i-1/etc/kubes/openvpn/crl.pem\n", rendered);
    }

    [Fact]
    public void Its_unit_is_the_golden_file() => Golden.AssertMatches("kubes-openvpn.service", OpenVpnUnit.Build(Layout("/")).Render());

    [Fact]
    public void The_steps_keep_their_names_and_a_new_revocation_list_restarts_nothing()
    {
        var paths = new AgentPaths("/");
        var steps = new OpenVpnComponent(paths, new PkiFiles(paths), ComponentSteps.For(paths), new CommandRunner(),
            new OpenVpnHealthCheck(TimeProvider.System)).PlanSteps(Config());

        Assert.Equal(
            ["install-openvpn", "configure-ipv4-forwarding", "forward-ipv4", "masquerade-vpn-clients", "configure-openvpn-tls-crypt",
             "configure-openvpn-crl", "configure-openvpn-server", "configure-kubes-openvpn", "start-kubes-openvpn"],
            steps.Select(s => s.Name));
        var withOtherCrl = Config();
        withOtherCrl.Openvpn.CrlPem = Crl.Replace("MA==", "MQ==", StringComparison.Ordinal);
        var start = steps.Single(s => s.Name == "start-kubes-openvpn");
        var startAfter = new OpenVpnComponent(paths, new PkiFiles(paths), ComponentSteps.For(paths), new CommandRunner(),
            new OpenVpnHealthCheck(TimeProvider.System)).PlanSteps(withOtherCrl).Single(s => s.Name == "start-kubes-openvpn");
        Assert.Equal(start.InputHash, startAfter.InputHash);
    }

    [Theory]
    [InlineData("has no openvpn section")]
    [InlineData("has no tls-crypt key")]
    [InlineData("has no certificate revocation list")]
    [InlineData("asks for no 'vpn-server' certificate")]
    [InlineData("has no 'openvpn' artifact")]
    [InlineData("which is not an IPv4 CIDR")]
    [InlineData("which is not an address")]
    public void A_configuration_openvpn_cannot_run_from_is_refused(string problem)
    {
        var config = Config();
        switch (problem)
        {
            case "has no openvpn section": config.Openvpn = null; break;
            case "has no tls-crypt key": config.Openvpn.TlsCryptKey = ""; break;
            case "has no certificate revocation list": config.Openvpn.CrlPem = ""; break;
            case "asks for no 'vpn-server' certificate": config.Certificates.Clear(); break;
            case "has no 'openvpn' artifact": config.Artifacts.Clear(); break;
            case "which is not an IPv4 CIDR": config.Openvpn.ClientNetwork = "100.64.0.0"; break;
            case "which is not an address": config.Openvpn.DnsServers.Add("resolver"); break;
        }

        var error = Assert.Throws<InvalidRoleConfigException>(() => Layout("/", config));

        Assert.Contains(problem, error.Message);
    }
}
