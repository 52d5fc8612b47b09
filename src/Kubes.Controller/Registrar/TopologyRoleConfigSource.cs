using Kubes.Protos.Contract;
using Kubes.Controller.Pki;
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
    public const int EtcdClientPort = Ports.EtcdClient;
    public const int EtcdPeerPort = Ports.EtcdPeer;
    public const string EtcdMountPath = "/data";
    public const string EtcdDataDir = "/data/etcd";

    private readonly ClusterTopology _topology;
    private readonly IssuancePolicy _policy;
    private readonly Func<InstanceRole, IEnumerable<Artifact>> _artifacts;

    /// <param name="artifacts">What each role downloads (URLs and SHA-256), asked afresh for every join so that
    /// presigned URLs are new.</param>
    public TopologyRoleConfigSource(ClusterTopology topology, Func<InstanceRole, IEnumerable<Artifact>>? artifacts = null)
    {
        _topology = topology;
        _policy = new IssuancePolicy(topology);
        _artifacts = artifacts ?? (_ => []);
    }

    /// <summary>The identity an etcd member's certificate is issued for, as the issuance policy names it.</summary>
    public static string EtcdMemberIdentity(InstanceSlot slot) => $"{IdentityKind.EtcdMember.Slug()}/{slot.Name}";

    public static string KeyAlgorithmName(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcdsaP256 => KeyAlgorithms.EcdsaP256,
        KeyAlgorithm.Rsa2048 => KeyAlgorithms.Rsa2048,
        KeyAlgorithm.Rsa4096 => KeyAlgorithms.Rsa4096,
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
            Name = instance.Name,
            AvailabilityZone = slot.Zone.Zone,
            PrivateIp = (slot.PrivateIp ?? instance.PrivateIp).ToString(),
            KubernetesVersion = spec.KubernetesVersion,
        };
        config.Artifacts.AddRange(_artifacts(slot.Role));
        var algorithm = KeyAlgorithmName(spec.Pki.KeyAlgorithm);
        var identities = slot is { Role: InstanceRole.Node, PrivateIp: null }
            ? _policy.ForNode(instance.Name, instance.PrivateIp)
            : _policy.ForSlot(slot);
        config.Certificates.AddRange(identities.Select(identity => new CertificateRequestSpec
        {
            Identity = identity.Name,
            KeyAlgorithm = algorithm,
            FileStem = identity.FileStem,
        }));
        if (slot.Role == InstanceRole.Etcd) AddEtcd(config, slot, instance);
        return config;
    }

    private void AddEtcd(RoleConfig config, InstanceSlot slot, VerifiedInstance instance)
    {
        var etcd = new EtcdConfig
        {
            ClientPort = EtcdClientPort,
            PeerPort = EtcdPeerPort,
            DataDir = EtcdDataDir,
            MountPath = EtcdMountPath,
            InitialClusterToken = $"{_topology.Spec.Name}-etcd",
            // The agent finds an EBS volume by its id (/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol…);
            // without one (local provider) the slot's name, and the agent gives the data a folder.
            DataVolumeTag = instance.DataVolumeId ?? slot.Name,
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
    }
}
