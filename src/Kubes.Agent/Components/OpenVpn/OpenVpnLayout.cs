using System.Net;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Pki;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.OpenVpn;

/// <summary>
/// Where the bastion's OpenVPN server keeps its pieces and what it serves, from its RoleConfig: its program, its
/// certificate files, its configuration folder (server.conf, the tls-crypt key, the revocation list), the networks it
/// routes and masquerades. Refuses a configuration that lacks what openvpn needs.
/// </summary>
public sealed class OpenVpnLayout
{
    public const string ArtifactName = ArtifactNames.OpenVpn;
    public const string CertificateStem = CertificateFiles.VpnServer;
    public const string UnitName = "kubes-openvpn";
    /// <summary>How often openvpn rewrites its status file, in seconds: the health check wants it fresh.</summary>
    public const int StatusInterval = 5;

    public OpenVpnLayout(RoleConfig config, AgentPaths paths, PkiFiles pki, StepFactory steps)
    {
        Config = config;
        var openvpn = config.Openvpn ?? throw Invalid("has no openvpn section");
        if (!IPAddress.TryParse(config.PrivateIp, out var address)) throw Invalid($"has private_ip '{config.PrivateIp}', which is not an address");
        ClientNetwork = Network(openvpn.ClientNetwork, "client network");
        Routes = openvpn.Routes.Select(route => Network(route, "route")).ToList();
        DnsServers = openvpn.DnsServers.Select(dns => IPAddress.TryParse(dns, out var ip) ? ip : throw Invalid($"pushes the resolver '{dns}', which is not an address")).ToList();
        if (!openvpn.TlsCryptKey.Contains("-----BEGIN OpenVPN Static key V1-----", StringComparison.Ordinal))
            throw Invalid("has no tls-crypt key");
        if (!openvpn.CrlPem.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
            throw Invalid("has no certificate revocation list");
        if (config.Certificates.All(c => c.FileStem != CertificateStem))
            throw Invalid($"asks for no '{CertificateStem}' certificate, which openvpn serves with");

        OpenVpn = openvpn;
        Address = address;
        Port = openvpn.Port > 0 ? openvpn.Port : Ports.OpenVpn;
        Artifact = config.Artifacts.FirstOrDefault(a => a.Name == ArtifactName) ?? throw Invalid($"has no '{ArtifactName}' artifact");
        Program = steps.ProgramPath(Artifact, "openvpn", "/usr/sbin/openvpn");
        ConfigDir = paths.Under("/etc/kubes/openvpn");
        StatusFile = Path.Join(paths.RunDir, "openvpn-status.log");
        CertificateFile = pki.CertificatePath(CertificateStem);
        KeyFile = pki.KeyPath(CertificateStem);
        CaFile = pki.CaPath(CertificateStem);
        IsHostRoot = paths.IsHostRoot;
    }

    /// <summary>The agent owns the host's root (AWS), rather than a folder of this machine (the local provider).</summary>
    public bool IsHostRoot { get; }

    public RoleConfig Config { get; }
    public OpenVpnConfig OpenVpn { get; }
    public IPAddress Address { get; }
    public int Port { get; }
    public (IPAddress Network, IPAddress Mask, string Cidr) ClientNetwork { get; }
    public IReadOnlyList<(IPAddress Network, IPAddress Mask, string Cidr)> Routes { get; }
    public IReadOnlyList<IPAddress> DnsServers { get; }
    public Artifact Artifact { get; }
    public string Program { get; }
    public string ConfigDir { get; }
    public string ServerConfigFile => Path.Join(ConfigDir, "server.conf");
    public string TlsCryptFile => Path.Join(ConfigDir, "tls-crypt.key");
    public string CrlFile => Path.Join(ConfigDir, "crl.pem");
    public string StatusFile { get; }
    public string CertificateFile { get; }
    public string KeyFile { get; }
    public string CaFile { get; }

    public static IReadOnlyList<string> Programs { get; } = ["openvpn"];

    /// <summary>A network as openvpn wants it (address and dotted mask), from a CIDR.</summary>
    private (IPAddress, IPAddress, string) Network(string cidr, string what)
    {
        var parts = cidr.Split('/');
        if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out var network) || network.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(parts[1], out var prefix) || prefix is < 0 or > 32)
        {
            throw Invalid($"has the {what} '{cidr}', which is not an IPv4 CIDR");
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var bytes = BitConverter.GetBytes(mask);
        if (BitConverter.IsLittleEndian) Array.Reverse(bytes);
        return (network, new IPAddress(bytes), cidr);
    }

    private InvalidRoleConfigException Invalid(string problem) =>
        new($"the openvpn role configuration for {Config?.Name ?? "this instance"} {problem}; the coordinator's RoleConfig must be fixed");
}
