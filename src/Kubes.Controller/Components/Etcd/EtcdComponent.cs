using System.Net;
using Kubes.Controller.Components.Flags;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.Etcd;

/// <summary>
/// etcd as the coordinator decides it: one member per etcd slot, data on the slot's volume, client and peer TLS with
/// one certificate per member from the etcd CA, client certificates required on both ports; the operator's flags on top.
/// </summary>
public sealed class EtcdComponent : IClusterComponent
{
    public const string MountPath = "/data";
    public const string DataDir = "/data/etcd";

    public string Name => ComponentNames.Etcd;

    public bool RunsOn(InstanceRole role) => role == InstanceRole.Etcd;

    public IReadOnlyList<string> Artifacts { get; } = [ArtifactNames.Etcd];

    /// <summary>Server and client in one: the same certificate serves clients and authenticates the member to its peers.</summary>
    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves) => RunsOn(slot.Role)
        ? [leaves.Leaf(IdentityKind.EtcdMember, slot.Name, CertificateAuthorityKind.Etcd, slot.Name, [],
            [leaves.Topology.FqdnOf(slot), slot.Name, "localhost"], [LeafIdentities.FixedIpOf(slot), IPAddress.Loopback],
            ExtendedKeyUsages.ServerAuth | ExtendedKeyUsages.ClientAuth)]
        : [];

    public void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var etcd = new EtcdConfig
        {
            ClientPort = Ports.EtcdClient,
            PeerPort = Ports.EtcdPeer,
            DataDir = DataDir,
            MountPath = MountPath,
            InitialClusterToken = $"{topology.Spec.Name}-etcd",
            // The agent finds an EBS volume by its id (/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol…);
            // without one (local provider) the slot's name, and the agent gives the data a folder.
            DataVolumeTag = instance.DataVolumeId ?? slot.Name,
        };
        etcd.Members.AddRange(topology.SlotsOf(InstanceRole.Etcd).Select(member => new EtcdMember
        {
            Name = member.Name,
            Slot = member.Index,
            PrivateIp = member.PrivateIp?.ToString() ?? "",
        }));
        etcd.ExtraArgs.AddRange(ExtraArgs.Of(topology.Spec, Name));
        config.Etcd = etcd;
    }

    public string? FlagVersion(ClusterSpec spec) => EtcdReleases.FlagVersionFor(spec);

    public IReadOnlyDictionary<string, string> LockedFlags => EtcdLockedFlags.All;

    public bool HasQuorum => true;
}
