using k8s;
using k8s.Models;

namespace Kubes.Controller.Components.Addons.Storage;

/// <summary>
/// The AWS EBS CSI driver: its CSIDriver, a controller (two replicas, leader-elected sidecars: provisioner, attacher,
/// resizer) and a node plugin on every node with the registrar, each with the RBAC its part needs. It acts with the node
/// role's instance profile (the permissions in <c>Aws/Resources/IamPolicies</c>) and tags every volume with the cluster,
/// which those permissions require.
/// </summary>
public static class EbsCsiDriverAddon
{
    public const string Name = "ebs-csi-driver";
    public const string DriverName = "ebs.csi.aws.com";
    private const string Controller = "ebs-csi-controller";
    private const string Node = "ebs-csi-node";
    private const string ControllerAccount = "ebs-csi-controller-sa";
    private const string NodeAccount = "ebs-csi-node-sa";
    private const string Socket = "/csi/csi.sock";

    public static Addon Build(AddonImages images, string cluster) => new(Name,
    [
        Objects.Typed(new V1CSIDriver
        {
            Metadata = Objects.Meta(Name, DriverName, ns: null),
            Spec = new V1CSIDriverSpec { AttachRequired = true, PodInfoOnMount = false, FsGroupPolicy = "File" },
        }, "storage.k8s.io/v1", "CSIDriver"),
        Account(ControllerAccount),
        Account(NodeAccount),
        .. Grant("ebs-external-provisioner-role", ControllerAccount,
        [
            Rule("", ["persistentvolumes"], "get", "list", "watch", "create", "patch", "delete"),
            Rule("", ["persistentvolumeclaims"], "get", "list", "watch", "update"),
            Rule("storage.k8s.io", ["storageclasses", "csinodes"], "get", "list", "watch"),
            Rule("", ["events"], "list", "watch", "create", "update", "patch"),
            Rule("snapshot.storage.k8s.io", ["volumesnapshots", "volumesnapshotcontents"], "get", "list"),
            Rule("", ["nodes"], "get", "list", "watch"),
            Rule("storage.k8s.io", ["volumeattachments"], "get", "list", "watch"),
        ]),
        .. Grant("ebs-external-attacher-role", ControllerAccount,
        [
            Rule("", ["persistentvolumes"], "get", "list", "watch", "update", "patch"),
            Rule("", ["nodes"], "get", "list", "watch"),
            Rule("storage.k8s.io", ["csinodes"], "get", "list", "watch"),
            Rule("storage.k8s.io", ["volumeattachments"], "get", "list", "watch", "update", "patch"),
            Rule("storage.k8s.io", ["volumeattachments/status"], "patch"),
        ]),
        .. Grant("ebs-external-resizer-role", ControllerAccount,
        [
            Rule("", ["persistentvolumes"], "get", "list", "watch", "update", "patch"),
            Rule("", ["persistentvolumeclaims"], "get", "list", "watch"),
            Rule("", ["persistentvolumeclaims/status"], "update", "patch"),
            Rule("", ["events"], "list", "watch", "create", "update", "patch"),
            Rule("", ["pods"], "get", "list", "watch"),
        ]),
        .. Grant("ebs-csi-node-role", NodeAccount,
        [
            Rule("", ["nodes"], "get", "patch"),
            Rule("storage.k8s.io", ["volumeattachments"], "get", "list", "watch"),
            Rule("storage.k8s.io", ["csinodes"], "get"),
        ]),
        .. LeaderElection(),
        Objects.Typed(ControllerDeployment(images, cluster), "apps/v1", "Deployment"),
        Objects.Typed(new V1PodDisruptionBudget
        {
            Metadata = Objects.Meta(Name, Controller),
            Spec = new V1PodDisruptionBudgetSpec { MaxUnavailable = 1, Selector = Selector(Controller) },
        }, "policy/v1", "PodDisruptionBudget"),
        Objects.Typed(NodeDaemonSet(images), "apps/v1", "DaemonSet"),
    ]);

    private static IKubernetesObject Account(string name) =>
        Objects.Typed(new V1ServiceAccount { Metadata = Objects.Meta(Name, name) }, "v1", "ServiceAccount");

    private static V1PolicyRule Rule(string group, IList<string> resources, params string[] verbs) =>
        new() { ApiGroups = [group], Resources = resources, Verbs = verbs };

    private static V1LabelSelector Selector(string app) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = app } };

    private static IKubernetesObject[] Grant(string role, string account, IList<V1PolicyRule> rules) =>
    [
        Objects.Typed(new V1ClusterRole { Metadata = Objects.Meta(Name, role, ns: null), Rules = rules }, "rbac.authorization.k8s.io/v1", "ClusterRole"),
        Objects.Typed(new V1ClusterRoleBinding
        {
            Metadata = Objects.Meta(Name, role.Replace("-role", "-binding", StringComparison.Ordinal), ns: null),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = account, NamespaceProperty = Objects.KubeSystem }],
        }, "rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ];

    /// <summary>The controller's sidecars elect their leader with Leases in kube-system.</summary>
    private static IKubernetesObject[] LeaderElection() =>
    [
        Objects.Typed(new V1Role
        {
            Metadata = Objects.Meta(Name, "ebs-csi-leases-role"),
            Rules = [Rule("coordination.k8s.io", ["leases"], "get", "watch", "list", "delete", "update", "create")],
        }, "rbac.authorization.k8s.io/v1", "Role"),
        Objects.Typed(new V1RoleBinding
        {
            Metadata = Objects.Meta(Name, "ebs-csi-leases-rolebinding"),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "ebs-csi-leases-role" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = ControllerAccount, NamespaceProperty = Objects.KubeSystem }],
        }, "rbac.authorization.k8s.io/v1", "RoleBinding"),
    ];

    private static V1Container Sidecar(string name, string image, params string[] args) => new()
    {
        Name = name,
        Image = image,
        Args = ["--csi-address=$(ADDRESS)", "--v=2", .. args],
        Env = [new V1EnvVar { Name = "ADDRESS", Value = Socket }],
        VolumeMounts = [new V1VolumeMount { Name = "socket-dir", MountPath = "/csi" }],
        SecurityContext = new V1SecurityContext { ReadOnlyRootFilesystem = true, AllowPrivilegeEscalation = false },
    };

    private static V1Container Plugin(AddonImages images, string mode, IList<string> args, IList<V1VolumeMount> mounts, V1SecurityContext security) => new()
    {
        Name = "ebs-plugin",
        Image = images.EbsCsiDriver,
        Args = [mode, "--endpoint=$(CSI_ENDPOINT)", "--logging-format=text", "--v=2", .. args],
        // The node's name lets the driver read its instance from the Node object where the instance metadata service is
        // out of a pod's reach (IMDSv2 with a hop limit of 1).
        Env =
        [
            new V1EnvVar { Name = "CSI_ENDPOINT", Value = $"unix://{Socket}" },
            new V1EnvVar { Name = "CSI_NODE_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "spec.nodeName" } } },
        ],
        Ports = [new V1ContainerPort { Name = "healthz", ContainerPort = 9808, Protocol = "TCP" }],
        LivenessProbe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "healthz" },
            InitialDelaySeconds = 10, TimeoutSeconds = 3, PeriodSeconds = 10, FailureThreshold = 5,
        },
        VolumeMounts = mounts,
        SecurityContext = security,
    };

    private static V1Deployment ControllerDeployment(AddonImages images, string cluster) => new()
    {
        Metadata = Objects.Meta(Name, Controller),
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = Selector(Controller),
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = Controller } },
                Spec = new V1PodSpec
                {
                    ServiceAccountName = ControllerAccount,
                    PriorityClassName = "system-cluster-critical",
                    // The node's instance profile is the controller's credential, and an instance's metadata service
                    // answers only one hop away (hop limit 1): the controller runs in the node's network, one per node.
                    HostNetwork = true,
                    DnsPolicy = "ClusterFirstWithHostNet",
                    Affinity = new V1Affinity
                    {
                        PodAntiAffinity = new V1PodAntiAffinity
                        {
                            RequiredDuringSchedulingIgnoredDuringExecution =
                                [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = Selector(Controller) }],
                        },
                    },
                    NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
                    SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = 1000, RunAsGroup = 1000, FsGroup = 1000 },
                    TopologySpreadConstraints =
                    [
                        new V1TopologySpreadConstraint
                        {
                            MaxSkew = 1, TopologyKey = "topology.kubernetes.io/zone", WhenUnsatisfiable = "ScheduleAnyway",
                            LabelSelector = Selector(Controller),
                        },
                    ],
                    Containers =
                    [
                        // Every volume it makes is tagged with the cluster: the node role may change and delete only those.
                        Plugin(images, "controller", [$"--k8s-tag-cluster-id={cluster}", "--batching=true"],
                            [new V1VolumeMount { Name = "socket-dir", MountPath = "/csi" }],
                            new V1SecurityContext { ReadOnlyRootFilesystem = true, AllowPrivilegeEscalation = false }),
                        Sidecar("csi-provisioner", images.CsiProvisioner, "--feature-gates=Topology=true", "--extra-create-metadata",
                            "--leader-election=true", "--default-fstype=ext4"),
                        Sidecar("csi-attacher", images.CsiAttacher, "--leader-election=true"),
                        Sidecar("csi-resizer", images.CsiResizer, "--leader-election=true", "--handle-volume-inuse-error=false"),
                        Sidecar("liveness-probe", images.LivenessProbe),
                    ],
                    Volumes = [new V1Volume { Name = "socket-dir", EmptyDir = new V1EmptyDirVolumeSource() }],
                },
            },
        },
    };

    private static V1DaemonSet NodeDaemonSet(AddonImages images)
    {
        const string kubelet = "/var/lib/kubelet";
        var registration = $"{kubelet}/plugins/{DriverName}/csi.sock";
        return new V1DaemonSet
        {
            Metadata = Objects.Meta(Name, Node),
            Spec = new V1DaemonSetSpec
            {
                Selector = Selector(Node),
                UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = "10%" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = Node } },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = NodeAccount,
                        PriorityClassName = "system-node-critical",
                        NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
                        Tolerations = [new V1Toleration { OperatorProperty = "Exists" }],
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = false, RunAsUser = 0, RunAsGroup = 0, FsGroup = 0 },
                        Containers =
                        [
                            Plugin(images, "node", [],
                            [
                                new V1VolumeMount { Name = "kubelet-dir", MountPath = kubelet, MountPropagation = "Bidirectional" },
                                new V1VolumeMount { Name = "plugin-dir", MountPath = "/csi" },
                                new V1VolumeMount { Name = "device-dir", MountPath = "/dev" },
                            ], new V1SecurityContext { Privileged = true, ReadOnlyRootFilesystem = true }),
                            Sidecar("node-driver-registrar", images.CsiNodeDriverRegistrar, $"--kubelet-registration-path={registration}")
                                .Mounting("plugin-dir", new V1VolumeMount { Name = "registration-dir", MountPath = "/registration" }),
                            Sidecar("liveness-probe", images.LivenessProbe).Mounting("plugin-dir"),
                        ],
                        Volumes =
                        [
                            HostPath("kubelet-dir", kubelet, "Directory"),
                            HostPath("plugin-dir", $"{kubelet}/plugins/{DriverName}/", "DirectoryOrCreate"),
                            HostPath("registration-dir", $"{kubelet}/plugins_registry/", "Directory"),
                            HostPath("device-dir", "/dev", "Directory"),
                        ],
                    },
                },
            },
        };
    }

    /// <summary>A sidecar of the node plugin: the socket's folder is the plugin-dir host path there.</summary>
    private static V1Container Mounting(this V1Container container, string socketVolume, params V1VolumeMount[] more)
    {
        container.VolumeMounts = [new V1VolumeMount { Name = socketVolume, MountPath = "/csi" }, .. more];
        return container;
    }

    private static V1Volume HostPath(string name, string path, string type) =>
        new() { Name = name, HostPath = new V1HostPathVolumeSource { Path = path, Type = type } };
}
