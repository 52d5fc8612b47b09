using Kubes.Agent.Flags;

namespace Kubes.Agent.Components.KubeControllerManager;

/// <summary>
/// kube-controller-manager's command line as data, every flag Kubes sets in one place (docs/control-plane.md says why
/// each): its kubeconfig for the API and for delegated authentication and authorization of its own port; leader election;
/// one service account per controller; its secure port on loopback only; strong TLS; no profiling; Node CIDRs from the
/// pod network. No <c>--cluster-signing-*</c>: no CA key is on any instance.
/// </summary>
public sealed record KubeControllerManagerFlags
{
    public required string ClusterName { get; init; }
    public required string Kubeconfig { get; init; }
    public required int SecurePort { get; init; }
    public required string ClusterCidr { get; init; }
    public required string ServiceClusterIpRange { get; init; }
    public required string RootCaFile { get; init; }
    public required string ServiceAccountPrivateKeyFile { get; init; }

    public static KubeControllerManagerFlags For(KubeControllerManagerLayout layout) => new()
    {
        ClusterName = layout.Config.Cluster,
        Kubeconfig = layout.KubeconfigFile,
        SecurePort = layout.Port,
        ClusterCidr = layout.ControllerManager.ClusterCidr,
        ServiceClusterIpRange = layout.ControllerManager.ServiceClusterIpRange,
        RootCaFile = layout.CaFile,
        ServiceAccountPrivateKeyFile = layout.ServiceAccountKeyFile,
    };

    public FlagSet ToFlagSet() => new FlagSet()
        .Add("cluster-name", ClusterName)
        .Add("kubeconfig", Kubeconfig)
        .Add("authentication-kubeconfig", Kubeconfig)
        .Add("authorization-kubeconfig", Kubeconfig)
        .Add("leader-elect", true)
        .Add("use-service-account-credentials", true)
        .Add("bind-address", "127.0.0.1")
        .Add("secure-port", SecurePort)
        .Add("tls-min-version", StrongTls.MinVersion)
        .Add("tls-cipher-suites", StrongTls.CipherSuites)
        .Add("profiling", false)
        .Add("allocate-node-cidrs", true)
        .Add("cluster-cidr", ClusterCidr)
        .Add("service-cluster-ip-range", ServiceClusterIpRange)
        .Add("root-ca-file", RootCaFile)
        .Add("service-account-private-key-file", ServiceAccountPrivateKeyFile);
}
