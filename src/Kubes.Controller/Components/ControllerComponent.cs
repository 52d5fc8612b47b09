using Kubes.Controller.Components.Flags;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components;

/// <summary>
/// What the control plane's three components share: each runs on every controller, downloads the one program of its name
/// for the cluster's Kubernetes release, has the flags of that minor, and holds no certificate identity of its own — the
/// issuance policy gives a controller slot its apiserver, controller-manager and scheduler identities
/// (<see cref="IssuancePolicy.ForSlot"/>), deciding there the serving certificate's names with the HA endpoint's.
/// </summary>
public abstract class ControllerComponent(string name) : IClusterComponent
{
    public string Name => name;

    public bool RunsOn(InstanceRole role) => role == InstanceRole.Controller;

    public IReadOnlyList<string> Artifacts { get; } = [name];

    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves) => [];

    public abstract void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material);

    public string? FlagVersion(ClusterSpec spec) => KubernetesFlagVersion.Of(spec);

    public abstract IReadOnlyDictionary<string, string> LockedFlags { get; }
}
