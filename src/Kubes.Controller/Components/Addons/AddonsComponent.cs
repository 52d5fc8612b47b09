using k8s;
using Kubes.Controller.Components.Addons.Cni;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;
using ComponentNames = Kubes.Protos.Contract.ComponentNames;

namespace Kubes.Controller.Components.Addons;

/// <summary>
/// The cluster's add-ons as the coordinator decides them (<see cref="ClusterAddons"/>), handed to every controller: the
/// agent of the one that holds the add-on Lease applies them through its own apiserver, as the add-on manager
/// (<see cref="KubernetesGroups.AddonManagerCommonName"/>, a client certificate every controller gets). The pod network
/// is rendered from its project's manifest as pinned and mirrored (<see cref="PodNetwork"/>); without one it is left out.
/// </summary>
public sealed class AddonsComponent : IClusterComponent
{
    public string Name => ComponentNames.Addons;

    public bool RunsOn(InstanceRole role) => role == InstanceRole.Controller;

    public IReadOnlyList<string> Artifacts { get; } = [];

    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves) => RunsOn(slot.Role)
        ?
        [
            leaves.Leaf(IdentityKind.AddonManager, slot.Name, CertificateAuthorityKind.Kubernetes, KubernetesGroups.AddonManagerCommonName,
                [KubernetesGroups.AddonManagers], [], [], ExtendedKeyUsages.ClientAuth),
        ]
        : [];

    public void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology, ClusterMaterial material)
    {
        var endpoint = ApiEndpointUrl.Of(topology, material);
        var addons = new AddonsConfig();
        var podNetwork = PodNetwork.Of(topology, material, endpoint.Host, endpoint.Port).Addon;
        foreach (var addon in ClusterAddons.For(topology, podNetwork))
        {
            addons.Objects.AddRange(addon.Objects.Select(o => new AddonObject
            {
                Addon = addon.Name,
                Path = AddonObjectPath.Of(o),
                Json = KubernetesJson.Serialize(o),
            }));
        }

        config.Addons = addons;
    }

    public bool TakesExtraArgs => false;

    public string? FlagVersion(ClusterSpec spec) => null;

    public IReadOnlyDictionary<string, string> LockedFlags { get; } = new Dictionary<string, string>();
}
