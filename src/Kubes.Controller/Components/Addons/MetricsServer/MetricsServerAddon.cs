using k8s.Models;

namespace Kubes.Controller.Components.Addons.MetricsServer;

/// <summary>
/// metrics-server, the resource metrics API (<c>metrics.k8s.io</c>) that <c>kubectl top</c> and the Horizontal Pod
/// Autoscaler read: it scrapes every kubelet's summary on 10250 (verifying the kubelets' serving certificates against the
/// cluster CA of its service account, so no <c>--kubelet-insecure-tls</c>) and is served through the API aggregation layer.
/// It runs in its node's network on <see cref="Port"/>: the controllers run no pod network and no kube-proxy, so their
/// aggregators (<c>--enable-aggregator-routing</c>) reach it at its node's address, which the security groups let them.
/// Two replicas on two nodes, a disruption budget keeping one, its RBAC as the project documents it.
/// </summary>
public static class MetricsServerAddon
{
    public const string Name = "metrics-server";

    /// <summary>Where it serves on its node: not 10250, which is the kubelet's there.</summary>
    public const int Port = 4443;
    private const string Group = "metrics.k8s.io";
    private const string Rbac = "rbac.authorization.k8s.io";

    public static Addon Build(string image)
    {
        var labels = new Dictionary<string, string> { ["k8s-app"] = Name };
        return new Addon(Name,
        [
            Objects.Typed(new V1ServiceAccount { Metadata = Objects.Meta(Name, Name, labels: labels) }, "v1", "ServiceAccount"),
            // What users who may view, edit or administer a namespace may read of its metrics: aggregated into those roles.
            Objects.Typed(new V1ClusterRole
            {
                Metadata = Objects.Meta(Name, "system:aggregated-metrics-reader", ns: null, labels: new Dictionary<string, string>(labels)
                {
                    ["rbac.authorization.k8s.io/aggregate-to-view"] = "true",
                    ["rbac.authorization.k8s.io/aggregate-to-edit"] = "true",
                    ["rbac.authorization.k8s.io/aggregate-to-admin"] = "true",
                }),
                Rules = [new V1PolicyRule { ApiGroups = [Group], Resources = ["pods", "nodes"], Verbs = ["get", "list", "watch"] }],
            }, $"{Rbac}/v1", "ClusterRole"),
            Objects.Typed(new V1ClusterRole
            {
                Metadata = Objects.Meta(Name, "system:metrics-server", ns: null, labels: labels),
                Rules =
                [
                    new V1PolicyRule { ApiGroups = [""], Resources = ["nodes/metrics"], Verbs = ["get"] },
                    new V1PolicyRule { ApiGroups = [""], Resources = ["pods", "nodes"], Verbs = ["get", "list", "watch"] },
                ],
            }, $"{Rbac}/v1", "ClusterRole"),
            Objects.Typed(new V1RoleBinding
            {
                // Reads the front proxy's CA from kube-system/extension-apiserver-authentication, to trust the apiserver's requests.
                Metadata = Objects.Meta(Name, "metrics-server-auth-reader", labels: labels),
                RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "Role", Name = "extension-apiserver-authentication-reader" },
                Subjects = [Subject()],
            }, $"{Rbac}/v1", "RoleBinding"),
            Objects.Typed(new V1ClusterRoleBinding
            {
                // Asks the apiserver to authenticate and authorise the requests it serves (TokenReview, SubjectAccessReview).
                Metadata = Objects.Meta(Name, "metrics-server:system:auth-delegator", ns: null, labels: labels),
                RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "ClusterRole", Name = "system:auth-delegator" },
                Subjects = [Subject()],
            }, $"{Rbac}/v1", "ClusterRoleBinding"),
            Objects.Typed(new V1ClusterRoleBinding
            {
                Metadata = Objects.Meta(Name, "system:metrics-server", ns: null, labels: labels),
                RoleRef = new V1RoleRef { ApiGroup = Rbac, Kind = "ClusterRole", Name = "system:metrics-server" },
                Subjects = [Subject()],
            }, $"{Rbac}/v1", "ClusterRoleBinding"),
            Objects.Typed(new V1Service
            {
                Metadata = Objects.Meta(Name, Name, labels: labels),
                Spec = new V1ServiceSpec
                {
                    Selector = labels,
                    Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP", TargetPort = "https" }],
                },
            }, "v1", "Service"),
            Objects.Typed(Deployment(image, labels), "apps/v1", "Deployment"),
            Objects.Typed(new V1PodDisruptionBudget
            {
                Metadata = Objects.Meta(Name, Name, labels: labels),
                Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = labels } },
            }, "policy/v1", "PodDisruptionBudget"),
            Objects.Typed(new V1APIService
            {
                Metadata = Objects.Meta(Name, $"v1beta1.{Group}", ns: null, labels: labels),
                Spec = new V1APIServiceSpec
                {
                    Group = Group,
                    Version = "v1beta1",
                    GroupPriorityMinimum = 100,
                    VersionPriority = 100,
                    Service = new Apiregistrationv1ServiceReference { Name = Name, NamespaceProperty = Objects.KubeSystem },
                    // metrics-server serves with a certificate it makes itself at start (as upstream deploys it): no CA
                    // could name it. The apiserver reaches it through its Service, with the front proxy's client
                    // certificate; docs/addons.md lists this as an exception.
                    InsecureSkipTLSVerify = true,
                },
            }, "apiregistration.k8s.io/v1", "APIService"),
        ]);
    }

    private static Rbacv1Subject Subject() => new() { Kind = "ServiceAccount", Name = Name, NamespaceProperty = Objects.KubeSystem };

    private static V1Deployment Deployment(string image, IDictionary<string, string> labels) =>
        Objects.TwoReplicas(Name, labels, new V1PodSpec
        {
            HostNetwork = true,
            DnsPolicy = "ClusterFirstWithHostNet",
            NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
            Affinity = new V1Affinity
            {
                PodAntiAffinity = new V1PodAntiAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution =
                        [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector { MatchLabels = labels } }],
                },
            },
            Containers =
            [
                new V1Container
                {
                    Name = Name,
                    Image = image,
                    Args =
                    [
                        "--cert-dir=/tmp",
                        $"--secure-port={Port}",
                        "--kubelet-preferred-address-types=InternalIP,Hostname",
                        "--kubelet-use-node-status-port",
                        "--metric-resolution=15s",
                    ],
                    Ports = [new V1ContainerPort { Name = "https", ContainerPort = Port, Protocol = "TCP" }],
                    Resources = new V1ResourceRequirements
                    {
                        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("200Mi") },
                    },
                    SecurityContext = new V1SecurityContext
                    {
                        AllowPrivilegeEscalation = false,
                        ReadOnlyRootFilesystem = true,
                        RunAsNonRoot = true,
                        RunAsUser = 1000,
                        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        Capabilities = new V1Capabilities { Drop = ["ALL"] },
                    },
                    VolumeMounts = [new V1VolumeMount { Name = "tmp-dir", MountPath = "/tmp" }],
                    LivenessProbe = new V1Probe
                    {
                        HttpGet = new V1HTTPGetAction { Path = "/livez", Port = "https", Scheme = "HTTPS" },
                        PeriodSeconds = 10, FailureThreshold = 3,
                    },
                    ReadinessProbe = new V1Probe
                    {
                        HttpGet = new V1HTTPGetAction { Path = "/readyz", Port = "https", Scheme = "HTTPS" },
                        InitialDelaySeconds = 20, PeriodSeconds = 10, FailureThreshold = 3,
                    },
                },
            ],
            Volumes = [new V1Volume { Name = "tmp-dir", EmptyDir = new V1EmptyDirVolumeSource() }],
        });
}
