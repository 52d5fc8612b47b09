namespace Kubes.Protos.Contract;

/// <summary>The names artifacts carry in a RoleConfig, in the cluster's mirror and in the artifact catalogue.</summary>
public static class ArtifactNames
{
    public const string Agent = "kubes-agent";
    public const string Etcd = "etcd";
    public const string KubeApiServer = "kube-apiserver";
    public const string KubeControllerManager = "kube-controller-manager";
    public const string KubeScheduler = "kube-scheduler";
    public const string Kubelet = "kubelet";
    public const string KubeProxy = "kube-proxy";
    public const string Kubectl = "kubectl";
    public const string Containerd = "containerd";
    public const string Runc = "runc";
    public const string CniPlugins = "cni-plugins";
    public const string Crictl = "crictl";
    /// <summary>Calico's <c>calico.yaml</c>: read by the coordinator into the controllers' add-ons, never installed by an instance.</summary>
    public const string CalicoManifest = "calico-manifest";
    /// <summary>Flannel's <c>kube-flannel.yml</c>: read by the coordinator into the controllers' add-ons, never installed by an instance.</summary>
    public const string FlannelManifest = "flannel-manifest";
    /// <summary>The distribution's OpenVPN (on AWS its package, installed by the agent; locally this machine's).</summary>
    public const string OpenVpn = "openvpn";
    /// <summary>The distribution's OpenSSH server and ssh-keygen (on AWS its packages; locally this machine's).</summary>
    public const string OpenSsh = "openssh-server";
}
