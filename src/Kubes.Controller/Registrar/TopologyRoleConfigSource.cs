using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Role configurations derived from the cluster topology. Every role gets its place (cluster, slot,
/// name, zone, address, Kubernetes version); etcd gets its full member configuration and its
/// certificate. Controller, node and bastion sections and certificates are added by their installers' owners.
/// </summary>
public sealed class TopologyRoleConfigSource : IRoleConfigSource
{
    public const int EtcdClientPort = 2379;
    public const int EtcdPeerPort = 2380;
    public const string EtcdMountPath = "/data";
    public const string EtcdDataDir = "/data/etcd";

    private readonly ClusterTopology _topology;

    public TopologyRoleConfigSource(ClusterTopology topology)
    {
        _topology = topology;
    }

    /// <summary>The identity an etcd member's certificate is issued for: etcd-member/&lt;slot&gt;.</summary>
    public static string EtcdMemberIdentity(int slot) => $"etcd-member/{slot}";

    public static string KeyAlgorithmName(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => "ecdsa-p256",
        KeyAlgorithm.Rsa2048 => "rsa-2048",
        KeyAlgorithm.Rsa4096 => "rsa-4096",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
    };

    public RoleConfig For(InstanceSlot slot, VerifiedInstance instance)
    {
        var spec = _topology.Spec;
        var config = new RoleConfig
        {
            Cluster = spec.Name,
            Role = slot.Role.ToProto(),
            Slot = slot.Index,
            Name = slot.Name,
            AvailabilityZone = slot.Zone.Zone,
            PrivateIp = (slot.PrivateIp ?? instance.PrivateIp).ToString(),
            KubernetesVersion = spec.KubernetesVersion,
        };
        if (slot.Role == InstanceRole.Etcd) AddEtcd(config, slot);
        return config;
    }

    private void AddEtcd(RoleConfig config, InstanceSlot slot)
    {
        var etcd = new EtcdConfig
        {
            ClientPort = EtcdClientPort,
            PeerPort = EtcdPeerPort,
            DataDir = EtcdDataDir,
            MountPath = EtcdMountPath,
            InitialClusterToken = $"{_topology.Spec.Name}-etcd",
            DataVolumeTag = slot.Name,
        };
        foreach (var member in _topology.SlotsOf(InstanceRole.Etcd))
        {
            etcd.Members.Add(new EtcdMember
            {
                Name = member.Name,
                Slot = member.Index,
                PrivateIp = member.PrivateIp?.ToString() ?? "",
            });
        }
        config.Etcd = etcd;
        config.Certificates.Add(new CertificateRequestSpec
        {
            Identity = EtcdMemberIdentity(slot.Index),
            KeyAlgorithm = KeyAlgorithmName(_topology.Spec.Pki.KeyAlgorithm),
            FileStem = "etcd-member",
        });
    }
}
