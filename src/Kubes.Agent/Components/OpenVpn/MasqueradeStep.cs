using Kubes.Agent.FileSystem;
using Kubes.Agent.Processes;
using Kubes.Agent.Steps;

namespace Kubes.Agent.Components.OpenVpn;

/// <summary>
/// <c>masquerade-vpn-clients</c>: packets from the VPN clients' range leave the bastion with its own address, so the
/// VPC (and, full tunnel, the internet) answers the bastion, which hands the answers back through the tunnel; no VPC
/// route has to know the clients' range, and security groups see the bastion. One iptables rule in the nat table,
/// added once.
/// </summary>
public sealed class MasqueradeStep(string clientNetwork, CommandRunner commands) : IInstallStep
{
    public string Name => "masquerade-vpn-clients";

    public string InputHash => FileHash.OfInputs(clientNetwork);

    private IReadOnlyList<string> Rule => ["POSTROUTING", "-s", clientNetwork, "!", "-d", clientNetwork, "-j", "MASQUERADE"];

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken) =>
        (await commands.RunAsync("iptables", ["-w", "-t", "nat", "-C", .. Rule], cancellationToken)).ExitCode == 0;

    public Task ApplyAsync(CancellationToken cancellationToken) =>
        commands.RunCheckedAsync("iptables", ["-w", "-t", "nat", "-A", .. Rule], cancellationToken);
}
