using System.Net;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Sshd;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Components.Sshd;

public sealed class SshdComponentTests
{
    private static readonly ClusterMaterial Material = ClusterMaterial.None with { SshUserCaPublicKey = "ecdsa-sha2-nistp256 AAAA user-ca" };

    private static SshdConfig Configure(ClusterTopology topology, InstanceSlot slot, VerifiedInstance instance)
    {
        var config = new RoleConfig();
        new SshdComponent().Configure(config, slot, instance, topology, Material);
        return config.Sshd;
    }

    [Fact]
    public void A_slot_s_host_certificate_names_its_slot_its_fixed_address_and_its_DNS_name()
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.Aws("prod"));
        var slot = topology.FindSlot(InstanceRole.Controller, 2)!;

        var sshd = Configure(topology, slot, new VerifiedInstance("prod", "i-1", slot, slot.PrivateIp!));

        Assert.Equal(["controller-2", slot.PrivateIp!.ToString(), "controller-2.prod.kubes.internal"], sshd.HostPrincipals);
        Assert.Equal("kubes", sshd.LoginUser);
        Assert.Equal(["kubes-admin"], sshd.AuthorizedPrincipals);
        Assert.Equal("ecdsa-sha2-nistp256 AAAA user-ca", sshd.UserCaPublicKey);
        Assert.Equal(22, sshd.Port);
    }

    [Fact]
    public void A_group_node_s_host_certificate_names_its_instance_id_and_the_address_the_cloud_gave_it()
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.Aws("prod") with
        {
            Nodes = ClusterSpecDefaults.Aws("prod").Nodes with { AutoScaling = true },
        });
        var zone = topology.Zones[1];
        var place = new InstanceSlot(InstanceRole.Node, 0, zone, false, null, "t3.large", 50, 0);

        var sshd = Configure(topology, place, new VerifiedInstance("prod", "i-0abc", place, IPAddress.Parse("10.0.17.33"), InGroup: true));

        Assert.Equal(["i-0abc", "10.0.17.33", "i-0abc.prod.kubes.internal"], sshd.HostPrincipals);
    }
}
