using k8s;
using k8s.Models;

namespace Kubes.Controller.Components.Addons.CoreDns;

/// <summary>
/// CoreDNS, kube-dns's successor, as the cluster's DNS: its Service at the cluster DNS address (named kube-dns, as every
/// kubelet's clusterDNS and tooling expect), two replicas spread across zones and hosts, a disruption budget keeping one,
/// the RBAC it needs to watch Services and EndpointSlices, and its Corefile.
/// </summary>
public static class CoreDnsAddon
{
    public const string Name = "coredns";
    private const string App = "kube-dns";

    public static Addon Build(string image, string clusterDnsIp, string clusterDomain)
    {
        var labels = new Dictionary<string, string> { ["k8s-app"] = App };
        return new Addon(Name,
        [
            Objects.Typed(new V1ServiceAccount { Metadata = Objects.Meta(Name, Name) }, "v1", "ServiceAccount"),
            Objects.Typed(new V1ClusterRole
            {
                Metadata = Objects.Meta(Name, "system:coredns", ns: null),
                Rules =
                [
                    new V1PolicyRule { ApiGroups = [""], Resources = ["endpoints", "services", "pods", "namespaces"], Verbs = ["list", "watch"] },
                    new V1PolicyRule { ApiGroups = ["discovery.k8s.io"], Resources = ["endpointslices"], Verbs = ["list", "watch"] },
                ],
            }, "rbac.authorization.k8s.io/v1", "ClusterRole"),
            Objects.Typed(new V1ClusterRoleBinding
            {
                Metadata = Objects.Meta(Name, "system:coredns", ns: null),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "system:coredns" },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Objects.KubeSystem }],
            }, "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
            Objects.Typed(new V1ConfigMap
            {
                Metadata = Objects.Meta(Name, Name),
                Data = new Dictionary<string, string> { ["Corefile"] = Corefile(clusterDomain) },
            }, "v1", "ConfigMap"),
            Objects.Typed(Deployment(image, labels), "apps/v1", "Deployment"),
            Objects.Typed(new V1Service
            {
                Metadata = Objects.Meta(Name, App, labels: new Dictionary<string, string>(labels) { ["kubernetes.io/name"] = "CoreDNS" }),
                Spec = new V1ServiceSpec
                {
                    Selector = labels,
                    ClusterIP = clusterDnsIp,
                    Ports =
                    [
                        new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP", TargetPort = 53 },
                        new V1ServicePort { Name = "dns-tcp", Port = 53, Protocol = "TCP", TargetPort = 53 },
                        new V1ServicePort { Name = "metrics", Port = 9153, Protocol = "TCP", TargetPort = 9153 },
                    ],
                },
            }, "v1", "Service"),
            Objects.Typed(new V1PodDisruptionBudget
            {
                Metadata = Objects.Meta(Name, Name),
                Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = labels } },
            }, "policy/v1", "PodDisruptionBudget"),
        ]);
    }

    /// <summary>The cluster's zone from the API, everything else forwarded to the node's resolvers, with caching and loop detection.</summary>
    public static string Corefile(string clusterDomain) => $$"""
        .:53 {
            errors
            health {
               lameduck 5s
            }
            ready
            kubernetes {{clusterDomain}} in-addr.arpa ip6.arpa {
               pods insecure
               fallthrough in-addr.arpa ip6.arpa
               ttl 30
            }
            prometheus :9153
            forward . /etc/resolv.conf {
               max_concurrent 1000
            }
            cache 30
            loop
            reload
            loadbalance
        }

        """;

    private static V1Deployment Deployment(string image, IDictionary<string, string> labels) =>
        Objects.TwoReplicas(Name, labels, new V1PodSpec
        {
            DnsPolicy = "Default",
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
            Tolerations = [new V1Toleration { Key = "CriticalAddonsOnly", OperatorProperty = "Exists" }],
            // One replica per zone where the zones allow; two on one node only where the cluster has one node.
            TopologySpreadConstraints =
            [
                new V1TopologySpreadConstraint
                {
                    MaxSkew = 1, TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = "DoNotSchedule",
                    LabelSelector = new V1LabelSelector { MatchLabels = labels },
                },
            ],
            Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    PreferredDuringSchedulingIgnoredDuringExecution =
                    [
                        new V1WeightedPodAffinityTerm
                        {
                            Weight = 100,
                            PodAffinityTerm = new V1PodAffinityTerm
                                { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector { MatchLabels = labels } },
                        },
                    ],
                },
            },
            Containers =
            [
                new V1Container
                {
                    Name = Name,
                    Image = image,
                    Args = ["-conf", "/etc/coredns/Corefile"],
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("70Mi") },
                        Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("170Mi") },
                    },
                    Ports =
                    [
                        new V1ContainerPort { Name = "dns", ContainerPort = 53, Protocol = "UDP" },
                        new V1ContainerPort { Name = "dns-tcp", ContainerPort = 53, Protocol = "TCP" },
                        new V1ContainerPort { Name = "metrics", ContainerPort = 9153, Protocol = "TCP" },
                    ],
                    VolumeMounts = [new V1VolumeMount { Name = "config-volume", MountPath = "/etc/coredns", ReadOnlyProperty = true }],
                    SecurityContext = new V1SecurityContext
                    {
                        AllowPrivilegeEscalation = false,
                        ReadOnlyRootFilesystem = true,
                        Capabilities = new V1Capabilities { Add = ["NET_BIND_SERVICE"], Drop = ["ALL"] },
                    },
                    LivenessProbe = new V1Probe
                    {
                        HttpGet = new V1HTTPGetAction { Path = "/health", Port = 8080, Scheme = "HTTP" },
                        InitialDelaySeconds = 60, TimeoutSeconds = 5, FailureThreshold = 5,
                    },
                    ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/ready", Port = 8181, Scheme = "HTTP" } },
                },
            ],
            Volumes =
            [
                new V1Volume
                {
                    Name = "config-volume",
                    ConfigMap = new V1ConfigMapVolumeSource { Name = Name, Items = [new V1KeyToPath { Key = "Corefile", Path = "Corefile" }] },
                },
            ],
        });
}
