using Kubes.Controller.Components.Flags;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.KubeScheduler;

/// <summary>
/// kube-scheduler as the coordinator decides it: on every controller (one leads at a time), its whole configuration the
/// agent's KubeSchedulerConfiguration; the operator's flags on top of those it leaves open. Its client certificate
/// (<c>system:kube-scheduler</c>) is the issuance policy's controller identity.
/// </summary>
public sealed class KubeSchedulerComponent() : KubernetesProgramComponent(ComponentNames.KubeScheduler, InstanceRole.Controller)
{
    public override void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var scheduler = new KubeSchedulerConfig();
        scheduler.ExtraArgs.AddRange(ExtraArgs.Of(topology.Spec, Name));
        config.KubeScheduler = scheduler;
    }

    public override IReadOnlyDictionary<string, string> LockedFlags => KubeSchedulerLockedFlags.All;
}
