using k8s.Models;

namespace Kubes.Controller.Components.Addons.Dashboard;

/// <summary>
/// The cluster's web UI (<c>spec.addons.dashboard</c>): Headlamp, which Kubernetes SIG UI names as the successor of the
/// Kubernetes Dashboard, archived in January 2026. It runs in-cluster behind a ClusterIP Service and acts with the token
/// each user logs in with; its own service account is bound to nothing, so the UI can do no more than its user may. It
/// is reached through <c>kubectl port-forward</c>, never exposed (docs/addons.md).
/// </summary>
public static class DashboardAddon
{
    public const string Name = "dashboard";
    private const string App = "headlamp";
    private const int Port = 4466;

    public static Addon Build(string image)
    {
        var labels = new Dictionary<string, string> { ["k8s-app"] = App };
        return new Addon(Name,
        [
            Objects.Typed(new V1ServiceAccount { Metadata = Objects.Meta(Name, App, labels: labels) }, "v1", "ServiceAccount"),
            Objects.Typed(new V1Service
            {
                Metadata = Objects.Meta(Name, App, labels: labels),
                Spec = new V1ServiceSpec
                {
                    Type = "ClusterIP",
                    Selector = labels,
                    Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = "http" }],
                },
            }, "v1", "Service"),
            Objects.Typed(Deployment(image, labels), "apps/v1", "Deployment"),
        ]);
    }

    private static V1Deployment Deployment(string image, IDictionary<string, string> labels)
    {
        var probe = new V1HTTPGetAction { Path = "/", Port = "http", Scheme = "HTTP" };
        return new V1Deployment
        {
            Metadata = Objects.Meta(Name, App, labels: labels),
            Spec = new V1DeploymentSpec
            {
                // A UI, not a part of the cluster the others depend on: one replica, no priority above the users' pods.
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = App,
                        NodeSelector = new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = App,
                                Image = image,
                                // In-cluster: the API's address and CA from the pod's service account; users bring their token.
                                Args = ["-in-cluster", "-plugins-dir=/headlamp/plugins"],
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = Port, Protocol = "TCP" }],
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("64Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("256Mi") },
                                },
                                // The image's user is a name; the UID and GID are the ones the project's chart runs it as.
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    Privileged = false,
                                    RunAsNonRoot = true,
                                    RunAsUser = 100,
                                    RunAsGroup = 101,
                                    SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                },
                                ReadinessProbe = new V1Probe { HttpGet = probe, InitialDelaySeconds = 5, PeriodSeconds = 10 },
                                LivenessProbe = new V1Probe { HttpGet = probe, InitialDelaySeconds = 30, PeriodSeconds = 20 },
                            },
                        ],
                    },
                },
            },
        };
    }
}
