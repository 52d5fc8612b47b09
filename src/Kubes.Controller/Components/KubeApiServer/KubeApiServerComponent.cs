using Kubes.Controller.Components.Flags;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.KubeApiServer;

/// <summary>
/// kube-apiserver as the coordinator decides it: on every controller, reaching every etcd member, issuing tokens for the
/// HA endpoint, trusting every controller's service-account key, encrypting Secrets with the cluster's keys; the
/// operator's flags on top of those it leaves open (<see cref="KubeApiServerLockedFlags"/>). Its certificates — serving
/// (for every name it is reached by), etcd client, kubelet client, front-proxy client — are the issuance policy's
/// controller identities, decided there with the HA endpoint's names.
/// </summary>
public sealed class KubeApiServerComponent() : KubernetesProgramComponent(ComponentNames.KubeApiServer, InstanceRole.Controller)
{
    public override void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var apiServer = new KubeApiServerConfig
        {
            ServiceClusterIpRange = topology.Spec.Network.ServiceCidr,
            ApiEndpoint = ApiEndpointUrl.Text(topology, material),
        };
        apiServer.EtcdServers.AddRange(topology.SlotsOf(InstanceRole.Etcd).OrderBy(member => member.Index)
            .Select(member => $"https://{LeafIdentities.FixedIpOf(member)}:{Ports.EtcdClient}"));
        // Only the keys of the topology's controller slots: a slot scaled away takes its key with it.
        apiServer.ServiceAccountPublicKeys.AddRange(topology.SlotsOf(InstanceRole.Controller).OrderBy(controller => controller.Index)
            .Select(controller => material.ServiceAccountPublicKeys.GetValueOrDefault(controller.Name))
            .OfType<string>());
        apiServer.EncryptionKeys.AddRange(material.SecretEncryptionKeys.Select(key => new Protos.V1.SecretEncryptionKey { Name = key.Name, Secret = key.Secret }));
        apiServer.ExtraArgs.AddRange(ExtraArgs.Of(topology.Spec, Name));
        config.KubeApiserver = apiServer;
    }

    public override IReadOnlyDictionary<string, string> LockedFlags => KubeApiServerLockedFlags.All;
}
