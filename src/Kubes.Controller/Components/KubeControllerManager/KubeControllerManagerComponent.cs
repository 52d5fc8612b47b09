using Kubes.Controller.Components.Flags;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.KubeControllerManager;

/// <summary>
/// kube-controller-manager as the coordinator decides it: on every controller (one leads at a time), Node CIDRs from the pod
/// network, the Service network; no CA key (the built-in CSR signers are not served: agents renew the certificates). Its
/// client certificate (<c>system:kube-controller-manager</c>) is the issuance policy's controller identity.
/// </summary>
public sealed class KubeControllerManagerComponent() : KubernetesProgramComponent(ComponentNames.KubeControllerManager, InstanceRole.Controller)
{
    public override void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var controllerManager = new KubeControllerManagerConfig
        {
            ClusterCidr = topology.Spec.Network.PodCidr,
            ServiceClusterIpRange = topology.Spec.Network.ServiceCidr,
        };
        controllerManager.ExtraArgs.AddRange(ExtraArgs.Of(topology.Spec, Name));
        config.KubeControllerManager = controllerManager;
    }

    public override IReadOnlyDictionary<string, string> LockedFlags => KubeControllerManagerLockedFlags.All;
}
