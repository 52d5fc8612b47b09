using Kubes.Controller.Components;
using Kubes.Controller.Components.OpenVpn;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Components.OpenVpn;

public sealed class OpenVpnComponentTests
{
    private static readonly ClusterMaterial Material = new("tls-crypt key", "revocation list", "ssh user ca");

    private static RoleConfig Configure(ClusterSpec spec)
    {
        var topology = ClusterTopology.From(spec);
        var slot = topology.FindSlot(InstanceRole.Bastion, 0)!;
        var config = new RoleConfig();
        foreach (var component in ClusterComponents.On(InstanceRole.Bastion))
            component.Configure(config, slot, new VerifiedInstance(spec.Name, "i-1", slot, slot.PrivateIp!), topology, Material);
        return config;
    }

    [Fact]
    public void The_bastion_routes_the_VPC_through_a_full_tunnel_and_pushes_the_VPC_resolver()
    {
        var openvpn = Configure(ClusterSpecDefaults.Aws("prod")).Openvpn;

        Assert.Equal(1194, openvpn.Port);
        Assert.Equal("100.64.0.0/24", openvpn.ClientNetwork);
        Assert.True(openvpn.FullTunnel);
        Assert.Equal(["10.0.0.0/16"], openvpn.Routes);
        Assert.Equal(["10.0.0.2"], openvpn.DnsServers);
        Assert.Equal(("tls-crypt key", "revocation list"), (openvpn.TlsCryptKey, openvpn.CrlPem));
    }

    [Fact]
    public void A_split_tunnel_is_the_spec_s_choice_and_the_local_VPC_has_no_resolver_to_push()
    {
        var spec = ClusterSpecDefaults.Local("demo") with
        {
            Bastion = ClusterSpecDefaults.Local("demo").Bastion with { Vpn = new VpnSpec { SplitTunnel = true, ClientCidr = "192.168.77.0/24" } },
        };

        var openvpn = Configure(spec).Openvpn;

        Assert.False(openvpn.FullTunnel);
        Assert.Equal("192.168.77.0/24", openvpn.ClientNetwork);
        Assert.Empty(openvpn.DnsServers);
    }

    [Fact]
    public void The_bastion_runs_openvpn_and_sshd_and_every_other_role_sshd_only()
    {
        Assert.Equal(["openvpn", "sshd"], ClusterComponents.On(InstanceRole.Bastion).Select(c => c.Name).Order());
        foreach (var role in new[] { InstanceRole.Etcd, InstanceRole.Controller, InstanceRole.Node })
            Assert.DoesNotContain(ClusterComponents.On(role), c => c.Name == "openvpn");
        Assert.All(Enum.GetValues<InstanceRole>(), role => Assert.Contains(ClusterComponents.On(role), c => c.Name == "sshd"));
    }

    [Fact]
    public void Openvpn_and_sshd_take_no_flag_overrides()
    {
        var spec = ClusterSpecDefaults.Aws("prod") with
        {
            Components = new Dictionary<string, ComponentSpec>
            {
                ["openvpn"] = new() { ExtraArgs = new Dictionary<string, string> { ["port"] = "443" } },
                ["sshd"] = new() { ExtraArgs = new Dictionary<string, string> { ["PermitRootLogin"] = "yes" } },
            },
        };

        var problems = SpecValidator.Validate(spec);

        Assert.Contains(problems, p => p.Path == "spec.components.openvpn" && p.Message.StartsWith("takes no overrides", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Path == "spec.components.sshd" && p.Message.StartsWith("takes no overrides", StringComparison.Ordinal));
    }

    [Fact]
    public void The_server_certificate_names_the_bastion_s_DNS_name_which_profiles_verify()
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.Aws("prod"));
        var identity = Assert.Single(new IssuancePolicy(topology).ForSlot(topology.FindSlot(InstanceRole.Bastion, 0)!));

        Assert.Equal(OpenVpnComponent.ServerName(topology, topology.FindSlot(InstanceRole.Bastion, 0)!), identity.CommonName);
        Assert.Equal(CertificateAuthorityKind.Vpn, identity.Issuer);
    }
}
