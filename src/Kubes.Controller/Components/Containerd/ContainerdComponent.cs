using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.Containerd;

/// <summary>
/// containerd as the coordinator decides it: on every node, with runc and (where the provider has it) crictl, the
/// sandbox image of the cluster's minor. Its paths and cgroup driver are the agent's to decide (they depend on the
/// host), its configuration is a file Kubes writes whole: it takes no flags from the spec.
/// </summary>
public sealed class ContainerdComponent : IClusterComponent
{
    public string Name => ComponentNames.Containerd;

    public bool RunsOn(InstanceRole role) => role == InstanceRole.Node;

    public IReadOnlyList<string> Artifacts { get; } = [ArtifactNames.Containerd, ArtifactNames.Runc, ArtifactNames.Crictl];

    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves) => [];

    public void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var minor = KubernetesVersions.MinorOf(topology.Spec.KubernetesVersion) ?? "";
        config.Containerd = new ContainerdConfig
        {
            SandboxImage = SandboxImages.For(minor) ?? throw new InvalidOperationException(
                $"Kubernetes {topology.Spec.KubernetesVersion} has no sandbox image in Kubes: the spec's validation lets only supported minors through"),
        };
    }

    public bool TakesExtraArgs => false;

    public string? FlagVersion(ClusterSpec spec) => null;

    public IReadOnlyDictionary<string, string> LockedFlags { get; } = new Dictionary<string, string>();
}
