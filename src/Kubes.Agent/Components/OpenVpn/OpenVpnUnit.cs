using Kubes.Agent.Services;

namespace Kubes.Agent.Components.OpenVpn;

/// <summary>The bastion's OpenVPN server as a unit of its own (<c>kubes-openvpn</c>), on its rendered server.conf.</summary>
public static class OpenVpnUnit
{
    public static SystemdUnit Build(OpenVpnLayout layout) => new()
    {
        Name = OpenVpnLayout.UnitName,
        Description = $"OpenVPN server of {layout.Config.Name} of cluster {layout.Config.Cluster} (kubes)",
        // Built with systemd support, openvpn says when its tunnel is up.
        Type = "notify",
        Restart = "always",
        ExecStart = [layout.Program, "--config", layout.ServerConfigFile],
    };
}
