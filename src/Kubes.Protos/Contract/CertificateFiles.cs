namespace Kubes.Protos.Contract;

/// <summary>
/// The file stem of each certificate identity under the agent's PKI folder (<c>&lt;stem&gt;.key</c>, <c>&lt;stem&gt;.crt</c>,
/// <c>&lt;stem&gt;-ca.crt</c>); it is also the first part of the identity's name (<c>etcd-member/etcd-0</c>). The coordinator
/// names the identities, the agent finds their files: both by these constants.
/// </summary>
public static class CertificateFiles
{
    public const string EtcdMember = "etcd-member";
    public const string ApiServerEtcdClient = "apiserver-etcd-client";
    public const string ApiServer = "apiserver";
    public const string ApiServerKubeletClient = "apiserver-kubelet-client";
    public const string FrontProxyClient = "front-proxy-client";
    public const string ControllerManager = "controller-manager";
    public const string Scheduler = "scheduler";
    /// <summary>A controller agent's identity towards the API when it applies the add-ons (<c>kubes:addon-manager</c>).</summary>
    public const string AddonManager = "addon-manager";
    public const string Admin = "admin";
    public const string KubeletClient = "kubelet-client";
    public const string KubeletServing = "kubelet-serving";
    public const string KubeProxy = "kube-proxy";
    public const string Coordinator = "coordinator";
    /// <summary>The bastion's OpenVPN server, from the VPN CA.</summary>
    public const string VpnServer = "vpn-server";
    /// <summary>An operator's VPN profile (<c>kubes vpn profile NAME</c>): made on the operator's machine, never by an agent.</summary>
    public const string VpnClient = "vpn-client";

    /// <summary>The identity name for a subject: <c>&lt;stem&gt;/&lt;subject&gt;</c>.</summary>
    public static string Identity(string stem, string subject) => $"{stem}/{subject}";
}
