using Kubes.Controller.Components.Flags;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.Kubelet;

/// <summary>
/// The kubelet as the coordinator decides it: on every node (fixed slots and the Auto Scaling group's instances alike),
/// reaching the API through the HA endpoint, pointing pods at the cluster DNS service, registering its Node with the
/// zone, region and role labels, and on AWS with its provider ID. Its certificates (<c>system:node:&lt;name&gt;</c> client,
/// kubelet-serving) are the issuance policy's node identities; its whole configuration besides is the agent's
/// KubeletConfiguration.
/// </summary>
public sealed class KubeletComponent() : KubernetesProgramComponent(ComponentNames.Kubelet, InstanceRole.Node)
{
    /// <summary>The label every Kubes node carries: NodeRestriction lets a kubelet set no <c>node-role.kubernetes.io/</c> label.</summary>
    public const string RoleLabel = "kubes.io/role";

    public override void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var spec = topology.Spec;
        var kubelet = new KubeletConfig
        {
            ApiEndpoint = ApiEndpointUrl.Text(topology, material),
            ClusterDns = topology.ClusterDnsIp.ToString(),
            ClusterDomain = ClusterTopology.ClusterDomain,
            ProviderId = spec.Provider == ProviderKind.Aws ? $"aws:///{slot.Zone.Zone}/{instance.InstanceId}" : "",
        };
        kubelet.NodeLabels.AddRange(new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["topology.kubernetes.io/region"] = spec.Region,
            ["topology.kubernetes.io/zone"] = slot.Zone.Zone,
            [RoleLabel] = InstanceRole.Node.TagValue(),
        }.Select(label => new Flag { Name = label.Key, Value = label.Value }));
        kubelet.ExtraArgs.AddRange(ExtraArgs.Of(spec, Name));
        config.Kubelet = kubelet;
    }

    public override IReadOnlyDictionary<string, string> LockedFlags => KubeletLockedFlags.All;
}
