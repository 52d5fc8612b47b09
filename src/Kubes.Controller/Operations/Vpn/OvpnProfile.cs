using System.Net;
using System.Text;

namespace Kubes.Controller.Operations.Vpn;

/// <summary>
/// An OpenVPN client profile in one file: where the bastion is, that its certificate must be the VPN CA's server
/// certificate for its name, and inline the CA, the client's certificate and key, and the tls-crypt key. The same
/// TLS and cipher floor as the server's configuration.
/// </summary>
public static class OvpnProfile
{
    public sealed record Parts(string ProfileName, string Cluster, IPAddress Bastion, int Port, string ServerName, string CaPem,
        string CertificatePem, string KeyPem, string TlsCryptKey, DateTimeOffset NotAfter);

    public static string Render(Parts parts)
    {
        var text = new StringBuilder();
        text.Append("# Kubes VPN profile ").Append(parts.ProfileName).Append(" of cluster ").Append(parts.Cluster)
            .Append(", valid until ").Append(parts.NotAfter.ToString("u", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        text.Append("# It holds its private key: keep it private. 'kubes vpn revoke ").Append(parts.ProfileName).Append("' refuses it.\n");
        text.Append("client\ndev tun\nproto udp\n");
        text.Append("remote ").Append(parts.Bastion).Append(' ').Append(parts.Port).Append('\n');
        text.Append("resolv-retry infinite\nnobind\npersist-key\npersist-tun\n");
        text.Append("remote-cert-tls server\n");
        text.Append("verify-x509-name ").Append(parts.ServerName).Append(" name\n");
        text.Append("tls-version-min 1.2\n");
        text.Append("data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\n");
        text.Append("verb 3\n");
        Inline(text, "ca", parts.CaPem);
        Inline(text, "cert", parts.CertificatePem);
        Inline(text, "key", parts.KeyPem);
        Inline(text, "tls-crypt", parts.TlsCryptKey);
        return text.ToString();
    }

    private static void Inline(StringBuilder text, string tag, string content) =>
        text.Append('<').Append(tag).Append(">\n").Append(content.TrimEnd('\n')).Append("\n</").Append(tag).Append(">\n");
}
