using System.Net;
using Kubes.Controller.Components;
using Kubes.Controller.Components.Etcd;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Components.Etcd;

public sealed class EtcdComponentTests
{
    private static readonly EtcdComponent Etcd = new();

    private static EtcdConfig Configure(ClusterSpec spec, int slotIndex = 0)
    {
        var topology = ClusterTopology.From(spec);
        var slot = topology.FindSlot(InstanceRole.Etcd, slotIndex)!;
        var config = new RoleConfig();
        Etcd.Configure(config, slot, new VerifiedInstance(spec.Name, "i-1", slot, slot.PrivateIp!), topology, ClusterMaterial.None);
        return config.Etcd;
    }

    [Fact]
    public void The_operators_flags_reach_the_role_configuration_ordered_by_name()
    {
        var spec = ClusterSpecDefaults.Aws("prod") with
        {
            Components = new Dictionary<string, ComponentSpec>
            {
                ["etcd"] = new()
                {
                    ExtraArgs = new Dictionary<string, string>
                    {
                        ["snapshot-catchup-entries"] = "10000", ["auto-compaction-retention"] = "8h", ["quota-backend-bytes"] = "8589934592",
                    },
                },
            },
        };

        var etcd = Configure(spec);

        Assert.Equal(
            [("auto-compaction-retention", "8h"), ("quota-backend-bytes", "8589934592"), ("snapshot-catchup-entries", "10000")],
            etcd.ExtraArgs.Select(f => (f.Name, f.Value)));
    }

    [Fact]
    public void Without_overrides_the_role_configuration_carries_no_extra_flag()
    {
        Assert.Empty(Configure(ClusterSpecDefaults.Aws("prod")).ExtraArgs);
    }

    [Fact]
    public void Ports_come_from_the_shared_contract_and_the_data_lives_on_the_slots_volume()
    {
        var etcd = Configure(ClusterSpecDefaults.Aws("prod"), 2);

        Assert.Equal((Kubes.Protos.Contract.Ports.EtcdClient, Kubes.Protos.Contract.Ports.EtcdPeer), (etcd.ClientPort, etcd.PeerPort));
        Assert.Equal(("/data", "/data/etcd", "prod-etcd", "etcd-2"), (etcd.MountPath, etcd.DataDir, etcd.InitialClusterToken, etcd.DataVolumeTag));
    }

    [Fact]
    public void It_runs_on_etcd_slots_only_and_names_the_etcd_artifact()
    {
        Assert.Equal([InstanceRole.Etcd], Enum.GetValues<InstanceRole>().Where(Etcd.RunsOn));
        Assert.Equal(["etcd"], Etcd.Artifacts);
        Assert.Same(Etcd.GetType(), ClusterComponents.Find("etcd")!.GetType());
    }

    [Fact]
    public void A_member_gets_one_certificate_for_serving_and_for_its_peers_and_nodes_get_none()
    {
        var topology = ClusterTopology.From(ClusterSpecDefaults.Aws("prod"));
        var leaves = new LeafIdentities(topology, TimeSpan.FromDays(30));
        var member = topology.FindSlot(InstanceRole.Etcd, 1)!;

        var identity = Assert.Single(Etcd.IdentitiesFor(member, leaves));

        Assert.Equal(("etcd-member/etcd-1", CertificateAuthorityKind.Etcd, "etcd-1"), (identity.Name, identity.Issuer, identity.CommonName));
        Assert.Equal([member.PrivateIp!, IPAddress.Loopback], identity.IpAddresses);
        Assert.Equal(ExtendedKeyUsages.ServerAuth | ExtendedKeyUsages.ClientAuth, identity.ExtendedKeyUsages);
        Assert.Equal(TimeSpan.FromDays(30), identity.Lifetime);
        Assert.Empty(Etcd.IdentitiesFor(topology.FindSlot(InstanceRole.Controller, 0)!, leaves));
    }

    [Fact]
    public void The_flags_are_checked_against_etcd_3_6_on_aws_and_this_machines_3_4_locally()
    {
        foreach (var minor in KubernetesVersions.SupportedMinors)
            Assert.Equal("3.6", Etcd.FlagVersion(ClusterSpecDefaults.Aws("prod") with { KubernetesVersion = $"{minor}.1" }));
        Assert.Equal("3.4", Etcd.FlagVersion(ClusterSpecDefaults.Local("prod")));
        Assert.Null(Etcd.FlagVersion(ClusterSpecDefaults.Aws("prod") with { KubernetesVersion = "1.30.0" }));
    }
}
