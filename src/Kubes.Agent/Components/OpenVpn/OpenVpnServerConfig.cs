using System.Text;

namespace Kubes.Agent.Components.OpenVpn;

/// <summary>
/// The bastion's server.conf: UDP on the instance's address, TLS 1.2 or newer with the VPN CA's server certificate,
/// every client required to present a certificate of the same CA that is not on its revocation list (re-read for every
/// new connection, so a revocation needs no restart), the handshake wrapped in tls-crypt, AEAD data ciphers only; the
/// clients get addresses of their own range, the VPC's routes (or every route: full tunnel) and its resolver; on AWS the
/// daemon drops to nobody once set up.
/// </summary>
public static class OpenVpnServerConfig
{
    public static string Render(OpenVpnLayout layout)
    {
        var config = layout.Config;
        var text = new StringBuilder();
        text.Append("# Written by kubes-agent for ").Append(config.Name).Append(" of cluster ").Append(config.Cluster)
            .Append("; changes are overwritten.\n");
        Line(text, "local", layout.Address.ToString());
        Line(text, "port", layout.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Line(text, "proto", "udp");
        Line(text, "dev", "tun");
        Line(text, "topology", "subnet");
        Line(text, "server", $"{layout.ClientNetwork.Network} {layout.ClientNetwork.Mask}");
        Line(text, "ca", Quoted(layout.CaFile));
        Line(text, "cert", Quoted(layout.CertificateFile));
        Line(text, "key", Quoted(layout.KeyFile));
        // ECDHE only: no finite-field Diffie-Hellman parameters.
        Line(text, "dh", "none");
        Line(text, "tls-crypt", Quoted(layout.TlsCryptFile));
        Line(text, "crl-verify", Quoted(layout.CrlFile));
        Line(text, "verify-client-cert", "require");
        Line(text, "remote-cert-tls", "client");
        Line(text, "tls-version-min", "1.2");
        Line(text, "data-ciphers", "AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305");
        foreach (var route in layout.Routes) Line(text, "push", $"\"route {route.Network} {route.Mask}\"");
        if (layout.OpenVpn.FullTunnel) Line(text, "push", "\"redirect-gateway def1\"");
        foreach (var dns in layout.DnsServers) Line(text, "push", $"\"dhcp-option DNS {dns}\"");
        Line(text, "keepalive", "10 60");
        Line(text, "explicit-exit-notify", "1");
        Line(text, "persist-key", null);
        Line(text, "persist-tun", null);
        if (layout.IsHostRoot)
        {
            // Dropped once the tunnel is up. A local instance's root folder is root's alone (0700): there nobody could not
            // read the revocation list again, and openvpn, which clears the list it has before reading the file, would
            // then refuse every client.
            Line(text, "user", "nobody");
            Line(text, "group", "nogroup");
        }
        Line(text, "status", $"{Quoted(layout.StatusFile)} {OpenVpnLayout.StatusInterval}");
        Line(text, "status-version", "2");
        Line(text, "verb", "3");
        return text.ToString();
    }

    /// <summary>openvpn reads a value with blanks (a local instance's root folder may have some) in double quotes.</summary>
    private static string Quoted(string path) => path.Any(char.IsWhiteSpace) ? $"\"{path}\"" : path;

    private static void Line(StringBuilder text, string option, string? value)
    {
        text.Append(option);
        if (value is not null) text.Append(' ').Append(value);
        text.Append('\n');
    }
}
