using System.Text;
using Kubes.Controller.Operations.Access;
using Kubes.Protos.Contract;
using Kubes.Protos.Ssh;

namespace Kubes.Controller.Operations.Ssh;

/// <summary>
/// The client side of the cluster's SSH: a <c>Host</c> entry per instance (the bastion at the address this machine
/// reaches it by, every other instance at its private address through the bastion), each checking the host's
/// certificate against the cluster's host CA only, in a known_hosts file of the cluster's own that holds nothing but that
/// CA (<c>@cert-authority</c>): a host key is never accepted on first sight, and nothing is ever added to it.
/// </summary>
public sealed record SshClientConfig(string Cluster, string DnsDomain, string LoginUser, ClusterHost Bastion, System.Net.IPAddress BastionAddress,
    IReadOnlyList<ClusterHost> Hosts, SshPublicKey HostCa, string IdentityFile, string CertificateFile, string KnownHostsFile)
{
    /// <summary>Until when the operator's certificate is valid: after that, <c>kubes ssh-config</c> again.</summary>
    public DateTimeOffset ValidUntil { get; init; }

    /// <summary>The short name an operator types: <c>etcd-0.demo</c>; the entry also answers to the full DNS name.</summary>
    public string AliasOf(ClusterHost host) => $"{host.Name}.{Cluster}";

    /// <summary>The known_hosts file: the host CA for every name of the cluster's domain, nothing else.</summary>
    public string KnownHosts() => $"@cert-authority *.{DnsDomain} {HostCa.ToLine()}\n";

    /// <summary>The Host entries, bastion first.</summary>
    public string HostEntries()
    {
        var text = new StringBuilder();
        foreach (var host in Hosts.OrderBy(h => h.Name != Bastion.Name))
        {
            var isBastion = host.Name == Bastion.Name;
            text.Append("Host ").Append(AliasOf(host)).Append(' ').Append(host.DnsName).Append('\n');
            Option(text, "HostName", (isBastion ? BastionAddress : host.PrivateIp).ToString());
            // The certificate names the host's DNS name, not the address it is dialled at (the bastion's public one).
            Option(text, "HostKeyAlias", host.DnsName);
            Option(text, "Port", Ports.Ssh.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Option(text, "User", LoginUser);
            if (!isBastion) Option(text, "ProxyJump", AliasOf(Bastion));
            Option(text, "IdentityFile", Quoted(IdentityFile));
            Option(text, "CertificateFile", Quoted(CertificateFile));
            Option(text, "IdentitiesOnly", "yes");
            Option(text, "UserKnownHostsFile", Quoted(KnownHostsFile));
            Option(text, "GlobalKnownHostsFile", "/dev/null");
            Option(text, "StrictHostKeyChecking", "yes");
            Option(text, "CheckHostIP", "no");
            Option(text, "UpdateHostKeys", "no");
            Option(text, "PasswordAuthentication", "no");
            Option(text, "KbdInteractiveAuthentication", "no");
            Option(text, "ForwardAgent", "no");
        }
        return text.ToString();
    }

    private static void Option(StringBuilder text, string keyword, string value) =>
        text.Append("    ").Append(keyword).Append(' ').Append(value).Append('\n');

    /// <summary>ssh_config takes a path with blanks in double quotes.</summary>
    private static string Quoted(string path) => path.Any(char.IsWhiteSpace) ? $"\"{path}\"" : path;
}
