using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.Cni;

/// <summary>
/// The pod network on a node: the reference CNI plugins installed by the agent, the add-on of <c>spec.cni</c> (applied
/// by the cluster, see docs/nodes.md) writing the network configuration, the pod network of the spec.
/// </summary>
public sealed class CniComponent : IClusterComponent
{
    public string Name => ComponentNames.Cni;

    public bool RunsOn(InstanceRole role) => role == InstanceRole.Node;

    public IReadOnlyList<string> Artifacts { get; } = [ArtifactNames.CniPlugins];

    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves) => [];

    public void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material) =>
        config.Cni = new CniConfig { Plugin = topology.Spec.Cni.ToSpecName(), PodCidr = topology.Spec.Network.PodCidr };

    public bool TakesExtraArgs => false;

    public string? FlagVersion(ClusterSpec spec) => null;

    public IReadOnlyDictionary<string, string> LockedFlags { get; } = new Dictionary<string, string>();
}
