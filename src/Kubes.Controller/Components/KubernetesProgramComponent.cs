using Kubes.Controller.Components.Flags;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components;

/// <summary>
/// What Kubernetes' own programs share (the control plane's three, the kubelet, kube-proxy): each runs on every instance of
/// one role, downloads the one program of its name for the cluster's Kubernetes release, has the flags of that minor, and
/// holds no certificate identity of its own — the issuance policy gives a controller slot its apiserver,
/// controller-manager and scheduler identities (<see cref="IssuancePolicy.ForSlot"/>, the serving certificate's names
/// with the HA endpoint's) and a node its kubelet and kube-proxy ones (<see cref="IssuancePolicy.ForNode"/>, named after
/// the verified instance).
/// </summary>
public abstract class KubernetesProgramComponent(string name, InstanceRole role) : IClusterComponent
{
    public string Name => name;

    public bool RunsOn(InstanceRole candidate) => candidate == role;

    public IReadOnlyList<string> Artifacts { get; } = [name];

    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves) => [];

    public abstract void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material);

    public string? FlagVersion(ClusterSpec spec) => KubernetesFlagVersion.Of(spec);

    public abstract IReadOnlyDictionary<string, string> LockedFlags { get; }
}
