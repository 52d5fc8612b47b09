using Kubes.Controller.Components.Flags;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.KubeProxy;

/// <summary>
/// kube-proxy as the coordinator decides it: on every node, in iptables mode (what every CNI Kubes offers works with
/// as configured; none of them is set to replace kube-proxy), through the HA endpoint, telling the pod network apart.
/// Its client certificate (<c>system:kube-proxy</c>) is the issuance policy's node identity; its configuration besides
/// is the agent's KubeProxyConfiguration.
/// </summary>
public sealed class KubeProxyComponent() : KubernetesProgramComponent(ComponentNames.KubeProxy, InstanceRole.Node)
{
    public const string Mode = "iptables";

    public override void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var proxy = new KubeProxyConfig
        {
            ApiEndpoint = ApiEndpointUrl.Text(topology, material),
            ClusterCidr = topology.Spec.Network.PodCidr,
            Mode = Mode,
        };
        proxy.ExtraArgs.AddRange(ExtraArgs.Of(topology.Spec, Name));
        config.KubeProxy = proxy;
    }

    public override IReadOnlyDictionary<string, string> LockedFlags { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["config"] = "Kubes renders kube-proxy's KubeProxyConfiguration, and kube-proxy ignores most flags beside it",
        ["kubeconfig"] = "kube-proxy reaches the HA endpoint with its own client certificate",
        ["master"] = "kube-proxy reaches the HA endpoint with its own client certificate",
        ["hostname-override"] = "the Node's name is the kubelet's",
        ["bind-address"] = "set in the configuration file",
        ["healthz-bind-address"] = "the agent checks kube-proxy's health there",
        ["metrics-bind-address"] = "metrics stay on loopback (CIS 4.3)",
        ["cluster-cidr"] = "the spec's pod network",
        ["proxy-mode"] = "set in the configuration file",
    };
}
