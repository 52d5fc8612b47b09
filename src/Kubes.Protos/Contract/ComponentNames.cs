namespace Kubes.Protos.Contract;

/// <summary>
/// The components a role installs, by the names both sides use: in reports (per-component health), in the spec's
/// <c>spec.components.&lt;name&gt;</c> overrides, and as the folder names of <c>Components/</c> on each side.
/// </summary>
public static class ComponentNames
{
    public const string Etcd = "etcd";
    public const string KubeApiServer = "kube-apiserver";
    public const string KubeControllerManager = "kube-controller-manager";
    public const string KubeScheduler = "kube-scheduler";
    public const string Containerd = "containerd";
    public const string Kubelet = "kubelet";
    public const string KubeProxy = "kube-proxy";
    /// <summary>The pod network's plugin programs on a node (the network itself is the CNI add-on's).</summary>
    public const string Cni = "cni";
    public const string OpenVpn = "openvpn";
    public const string Sshd = "sshd";
    /// <summary>The cluster's add-ons, applied by the controller agent that holds their lease.</summary>
    public const string Addons = "addons";
}
