namespace Kubes.Protos.Contract;

/// <summary>
/// Every port the cluster's parts listen on, known to both sides: the agent binds and probes them, the coordinator
/// opens security groups, load balancer listeners and health checks for them.
/// </summary>
public static class Ports
{
    public const int EtcdClient = 2379;
    public const int EtcdPeer = 2380;
    public const int KubeApiServer = 6443;
    public const int Kubelet = 10250;
    public const int KubeControllerManager = 10257;
    public const int KubeScheduler = 10259;
    public const int KubeProxyHealth = 10256;
    /// <summary><c>kubes serve</c>'s gRPC channel.</summary>
    public const int Coordinator = 7443;
    public const int OpenVpn = 1194;
    public const int Ssh = 22;
}
