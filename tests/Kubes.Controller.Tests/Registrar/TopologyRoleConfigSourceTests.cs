using System.Net;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Registrar;

public sealed class TopologyRoleConfigSourceTests
{
    private static readonly ClusterTopology Topology = ClusterTopology.From(new ClusterSpec { Name = "prod" });
    private readonly TopologyRoleConfigSource _source = new(Topology);

    private static (InstanceSlot Slot, VerifiedInstance Instance) Place(InstanceRole role, int index)
    {
        var slot = Topology.FindSlot(role, index)!;
        return (slot, new VerifiedInstance("prod", "i-1", slot, slot.PrivateIp ?? IPAddress.Parse("10.0.1.57")));
    }

    [Fact]
    public void Each_certificate_carries_the_hash_of_what_the_policy_puts_into_it()
    {
        var (slot, instance) = Place(InstanceRole.Controller, 0);
        var identities = new Kubes.Controller.Pki.IssuancePolicy(Topology).ForSlot(slot);

        var config = _source.For(slot, instance).Config;

        Assert.Equal(identities.Select(i => i.PolicyHash("ecdsa-p256")), config.Certificates.Select(c => c.PolicyHash));
        Assert.Equal(config.Certificates.Count, config.Certificates.Select(c => c.PolicyHash).Distinct().Count());
        Assert.All(config.Certificates, c => Assert.Matches("^[0-9a-f]{64}$", c.PolicyHash));
    }

    [Fact]
    public void Once_the_material_knows_the_api_endpoint_a_controllers_serving_certificate_names_it_and_its_hash_changes()
    {
        var (slot, instance) = Place(InstanceRole.Controller, 0);
        var endpoint = new ApiEndpoint("prod-api-0123456789.elb.us-east-1.amazonaws.com", 6443);

        var before = _source.For(slot, instance, Kubes.Controller.Components.ClusterMaterial.None);
        var after = _source.For(slot, instance, Kubes.Controller.Components.ClusterMaterial.None with { ApiEndpoint = endpoint });

        var serving = Assert.Single(after.Identities, i => i.Kind == Kubes.Controller.Pki.IdentityKind.ApiServerServing);
        Assert.Contains(endpoint.Host, serving.DnsNames);
        Assert.DoesNotContain(endpoint.Host, before.Identities.Single(i => i.Kind == Kubes.Controller.Pki.IdentityKind.ApiServerServing).DnsNames);
        Assert.NotEqual(before.Config.ComputeConfigHash(), after.Config.ComputeConfigHash());
        var (etcd, member) = Place(InstanceRole.Etcd, 0);
        Assert.Equal(_source.For(etcd, member, Kubes.Controller.Components.ClusterMaterial.None).Config,
            _source.For(etcd, member, Kubes.Controller.Components.ClusterMaterial.None with { ApiEndpoint = endpoint }).Config);
    }

    [Fact]
    public void An_etcd_member_gets_every_member_its_ports_folders_and_its_certificate()
    {
        var (slot, instance) = Place(InstanceRole.Etcd, 1);
        var config = _source.For(slot, instance).Config;

        Assert.Equal(Role.Etcd, config.Role);
        Assert.Equal("etcd-1", config.Name);
        Assert.Equal("us-east-1b", config.AvailabilityZone);
        Assert.Equal("10.0.16.10", config.PrivateIp);
        Assert.Equal(
            [("etcd-0", 0, "10.0.0.10"), ("etcd-1", 1, "10.0.16.10"), ("etcd-2", 2, "10.0.32.10")],
            config.Etcd.Members.Select(m => (m.Name, m.Slot, m.PrivateIp)));
        Assert.Equal(2379, config.Etcd.ClientPort);
        Assert.Equal(2380, config.Etcd.PeerPort);
        Assert.Equal("/data/etcd", config.Etcd.DataDir);
        Assert.Equal("/data", config.Etcd.MountPath);
        Assert.Equal("etcd-1", config.Etcd.DataVolumeTag);
        Assert.Equal("prod-etcd", config.Etcd.InitialClusterToken);
        var certificate = Assert.Single(config.Certificates);
        Assert.Equal(("etcd-member/etcd-1", "ecdsa-p256", "etcd-member"),
            (certificate.Identity, certificate.KeyAlgorithm, certificate.FileStem));
    }

    [Fact]
    public void An_etcd_member_with_an_EBS_data_volume_gets_its_volume_id_to_find_the_device_by()
    {
        var (slot, instance) = Place(InstanceRole.Etcd, 0);
        var config = _source.For(slot, instance with { DataVolumeId = "vol-0123456789abcdef0" }).Config;
        Assert.Equal("vol-0123456789abcdef0", config.Etcd.DataVolumeTag);
    }

    [Fact]
    public void The_key_algorithm_follows_the_spec()
    {
        var topology = ClusterTopology.From(new ClusterSpec { Name = "prod", Pki = new PkiSpec { KeyAlgorithm = KeyAlgorithm.Rsa2048 } });
        var slot = topology.FindSlot(InstanceRole.Etcd, 0)!;
        var config = new TopologyRoleConfigSource(topology).For(slot, new VerifiedInstance("prod", "i-1", slot, slot.PrivateIp!)).Config;
        Assert.Equal("rsa-2048", Assert.Single(config.Certificates).KeyAlgorithm);
    }

    [Fact]
    public void An_etcd_member_gets_the_operators_flags_by_name_and_the_artifacts_its_components_name()
    {
        var spec = new ClusterSpec
        {
            Name = "prod",
            Components = new Dictionary<string, ComponentSpec>
            {
                ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { ["quota-backend-bytes"] = "8589934592", ["log-level"] = "warn" } },
            },
        };
        var topology = ClusterTopology.From(spec);
        var offered = new[] { new Artifact { Name = "etcd", Version = "3.6.14" }, new Artifact { Name = "not-etcd", Version = "1" } };
        var slot = topology.FindSlot(InstanceRole.Etcd, 0)!;

        var config = new TopologyRoleConfigSource(topology, _ => offered).For(slot, new VerifiedInstance("prod", "i-1", slot, slot.PrivateIp!)).Config;

        Assert.Equal([("log-level", "warn"), ("quota-backend-bytes", "8589934592")], config.Etcd.ExtraArgs.Select(f => (f.Name, f.Value)));
        Assert.Equal(["etcd"], config.Artifacts.Select(a => a.Name));
    }

    [Fact]
    public void A_node_gets_its_slots_address_and_node_identities_named_after_its_slot()
    {
        var (slot, instance) = Place(InstanceRole.Node, 0);
        var config = _source.For(slot, instance).Config;
        Assert.Equal("10.0.0.100", config.PrivateIp);
        Assert.Equal(Role.Node, config.Role);
        Assert.Equal(Topology.Spec.KubernetesVersion, config.KubernetesVersion);
        Assert.Null(config.Etcd);
        Assert.Equal(["kubelet-client/node-0", "kubelet-serving/node-0", "kube-proxy/node-0"],
            config.Certificates.Select(c => c.Identity));
    }
}
