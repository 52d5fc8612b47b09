using Kubes.Controller.Components.Addons.MetricsServer;
using Kubes.Protos.Contract;
using Kubes.Controller.Reconciler;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Aws.Resources;

/// <summary>
/// The security-group matrix of docs/network.md, built exactly: each role admits only the traffic it needs,
/// from the roles that need it. Nothing is open to 0.0.0.0/0; the bastion admits only the spec's admin CIDRs.
/// Egress keeps AWS's default (all outbound), which instances need for packages, NAT and AWS APIs.
/// </summary>
public static class SecurityGroupRules
{
    public const int EtcdClientPort = Ports.EtcdClient;
    public const int EtcdPeerPort = Ports.EtcdPeer;
    public const int ApiServerPort = Ports.KubeApiServer;
    public const int KubeletPort = Ports.Kubelet;
    public const int SshPort = 22;
    public const int OpenVpnPort = Ports.OpenVpn;

    /// <summary>The group of the API load balancer.</summary>
    public static readonly ResourceKey ApiLoadBalancer = Group("api-lb");

    public static ResourceKey Group(InstanceRole role) => Group(role.TagValue());

    public static ResourceKey Group(string name) => new("security-group", name);

    public static ResourceKey Rules(ResourceKey group) => new("security-group-rules", group.Name);

    /// <summary>Every group the cluster has, with its complete ingress rule set.</summary>
    public static IReadOnlyDictionary<ResourceKey, IReadOnlyList<IngressRule>> For(ClusterSpec spec)
    {
        var bastion = Group(InstanceRole.Bastion);
        var etcd = Group(InstanceRole.Etcd);
        var controller = Group(InstanceRole.Controller);
        var node = Group(InstanceRole.Node);
        var fromBastion = RuleSource.FromGroup(bastion);

        var bastionRules = spec.Network.AdminCidrs.SelectMany(cidr => new[]
        {
            Tcp(SshPort, RuleSource.FromCidr(cidr), "SSH jump host, admins only"),
            new IngressRule("udp", OpenVpnPort, OpenVpnPort, RuleSource.FromCidr(cidr), "OpenVPN, admins only"),
        }).ToList();

        var etcdRules = new List<IngressRule>
        {
            Tcp(EtcdClientPort, RuleSource.FromGroup(controller), "etcd client port: only the API servers"),
            Tcp(EtcdPeerPort, RuleSource.FromGroup(etcd), "etcd peer port: only between members"),
            Tcp(SshPort, fromBastion, "SSH through the bastion"),
        };

        var controllerRules = new List<IngressRule>
        {
            Tcp(ApiServerPort, RuleSource.FromGroup(ApiLoadBalancer), "API through the load balancer"),
            Tcp(ApiServerPort, RuleSource.FromGroup(node), "API from kubelets and pods' service traffic"),
            Tcp(ApiServerPort, fromBastion, "API from the operator through the bastion"),
            Tcp(ApiServerPort, RuleSource.FromGroup(controller), "API between control-plane components"),
            Tcp(SshPort, fromBastion, "SSH through the bastion"),
        };

        var nodeRules = new List<IngressRule>
        {
            Tcp(KubeletPort, RuleSource.FromGroup(controller), "kubelet API: only the API servers"),
            Tcp(SshPort, fromBastion, "SSH through the bastion"),
        };
        nodeRules.AddRange(CniRules(spec.Cni, RuleSource.FromGroup(node)));
        if (spec.Addons.MetricsServer)
        {
            nodeRules.Add(Tcp(MetricsServerAddon.Port, RuleSource.FromGroup(controller), "metrics-server, in its node's network: only the API servers' aggregator"));
            nodeRules.Add(Tcp(KubeletPort, RuleSource.FromGroup(node), "kubelet API from metrics-server, which scrapes every node from its own"));
        }

        // 6443 is open to these and no one else: the load balancer's group, the nodes, the controllers, the bastion, the
        // admin CIDRs (operators' networks that reach the VPC without the VPN, through the load balancer only).
        var loadBalancerRules = new List<IngressRule>
        {
            Tcp(ApiServerPort, RuleSource.FromGroup(node), "API from nodes"),
            Tcp(ApiServerPort, RuleSource.FromGroup(controller), "API from controllers"),
            Tcp(ApiServerPort, fromBastion, "API from the operator through the bastion"),
        };
        loadBalancerRules.AddRange(spec.Network.AdminCidrs.Select(cidr =>
            Tcp(ApiServerPort, RuleSource.FromCidr(cidr), "API from the admin CIDRs, through the load balancer")));

        var groups = new Dictionary<ResourceKey, IReadOnlyList<IngressRule>>
        {
            [etcd] = etcdRules,
            [controller] = controllerRules,
            [node] = nodeRules,
            [ApiLoadBalancer] = loadBalancerRules,
        };
        if (spec.Bastion.Count > 0) groups[bastion] = bastionRules;
        else
        {
            foreach (var (group, rules) in groups.ToList())
                groups[group] = rules.Where(r => r.Source.Group != bastion).ToList();
        }
        return groups;
    }

    /// <summary>Pod traffic of the chosen CNI, only between cluster nodes.</summary>
    private static IEnumerable<IngressRule> CniRules(CniKind cni, RuleSource nodes) => cni switch
    {
        CniKind.Calico =>
        [
            Tcp(179, nodes, "Calico BGP"),
            new IngressRule("4", -1, -1, nodes, "Calico IP-in-IP"),
            Tcp(5473, nodes, "Calico Typha"),
        ],
        CniKind.Flannel => [new IngressRule("udp", 8472, 8472, nodes, "Flannel VXLAN overlay")],
        _ => throw new ArgumentOutOfRangeException(nameof(cni), cni, null),
    };

    private static IngressRule Tcp(int port, RuleSource source, string why) => new("tcp", port, port, source, why);
}
