using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.OpenVpn;

/// <summary>
/// Healthy when openvpn keeps rewriting its status file: it does so every <see cref="OpenVpnLayout.StatusInterval"/>
/// seconds from its event loop once the tunnel device and the UDP socket are up. The detail counts the connected clients.
/// </summary>
public sealed class OpenVpnHealthCheck(TimeProvider time)
{
    public async Task<ComponentHealth> CheckAsync(OpenVpnLayout layout, CancellationToken cancellationToken)
    {
        if (!File.Exists(layout.StatusFile))
        {
            return Health(false, $"openvpn has written no status to {layout.StatusFile}");
        }

        var age = time.GetUtcNow() - File.GetLastWriteTimeUtc(layout.StatusFile);
        if (age > TimeSpan.FromSeconds(3 * OpenVpnLayout.StatusInterval))
        {
            return Health(false, $"openvpn last wrote its status {age.TotalSeconds:0} s ago: it is not running its event loop");
        }

        var lines = await File.ReadAllLinesAsync(layout.StatusFile, cancellationToken);
        if (lines.Length == 0 || !lines[0].StartsWith("TITLE,OpenVPN", StringComparison.Ordinal))
        {
            return Health(false, $"{layout.StatusFile} is not an openvpn status file");
        }

        var clients = lines.Count(line => line.StartsWith("CLIENT_LIST,", StringComparison.Ordinal));
        return Health(true, $"serving on udp {layout.Address}:{layout.Port}, {clients} client{(clients == 1 ? "" : "s")} connected");
    }

    private static ComponentHealth Health(bool healthy, string detail) =>
        new() { Component = ComponentNames.OpenVpn, Healthy = healthy, Detail = detail };
}
