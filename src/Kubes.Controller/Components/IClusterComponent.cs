using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components;

/// <summary>
/// What the coordinator decides for one component of the cluster (etcd, kube-apiserver, kubelet, ...): where it runs,
/// what it downloads, which certificates it gets, its section of the role configuration, and which of its flags the
/// operator may override. The agent side of the same component, in <c>Kubes.Agent/Components/</c>, installs it.
/// </summary>
public interface IClusterComponent
{
    /// <summary>Its name everywhere: <c>spec.components.&lt;name&gt;</c>, reports, <see cref="Protos.Contract.ComponentNames"/>.</summary>
    string Name { get; }

    bool RunsOn(InstanceRole role);

    /// <summary>The artifacts an instance running it downloads, by name; the artifact catalogue resolves each to URLs and a digest.</summary>
    IReadOnlyList<string> Artifacts { get; }

    /// <summary>The certificates an instance in <paramref name="slot"/> gets for it (none where it does not run).</summary>
    IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves);

    /// <summary>
    /// Fills its section of <paramref name="config"/>, for an instance in <paramref name="slot"/> where it runs, from the
    /// topology and what the coordinator keeps for the cluster (<paramref name="material"/>).
    /// </summary>
    void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology, ClusterMaterial material);

    /// <summary>
    /// Whether the operator may add flags (<c>spec.components.&lt;name&gt;.extraArgs</c>); components whose whole
    /// configuration Kubes renders as a file (openvpn, sshd, containerd) or that have no program of their own (the CNI
    /// plugins) take none.
    /// </summary>
    bool TakesExtraArgs => true;

    /// <summary>
    /// The version whose flags the operator's <c>extraArgs</c> are checked against (<c>3.6</c>, <c>1.36</c>): the one the
    /// cluster of <paramref name="spec"/> runs. Null when the spec names no release Kubes supports (reported elsewhere).
    /// </summary>
    string? FlagVersion(ClusterSpec spec);

    /// <summary>
    /// The flags Kubes sets itself or that would undo what it sets (the trust model, the member's identity), each with
    /// the reason: the operator's <c>extraArgs</c> may name none of them.
    /// </summary>
    IReadOnlyDictionary<string, string> LockedFlags { get; }

    /// <summary>
    /// Whether its members form a quorum (etcd): a change rolled across them waits, after each member, until every member
    /// has reported healthy again, so the whole cluster is, before the next one changes.
    /// </summary>
    bool HasQuorum => false;
}
