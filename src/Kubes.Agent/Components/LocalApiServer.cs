using System.Net;
using Kubes.Agent.Conversation;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components;

/// <summary>
/// The apiserver a controller's own components (kube-controller-manager, kube-scheduler) talk to: the one on the same
/// controller, at the slot's private address where it binds, never the HA endpoint — a load balancer that keeps client
/// addresses drops a connection it sends from a target back to itself.
/// </summary>
public static class LocalApiServer
{
    public static Uri Of(RoleConfig config, string component)
    {
        if (!IPAddress.TryParse(config.PrivateIp, out var address))
            throw new InvalidRoleConfigException(
                $"the {component} role configuration for {config.Name} has private_ip '{config.PrivateIp}', which is not an address; the coordinator's RoleConfig must be fixed");
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return new Uri($"https://{host}:{Protos.Contract.Ports.KubeApiServer}");
    }
}
