using Kubes.Agent.Configuration;
using Kubes.Agent.FileSystem;
using Kubes.Agent.Pki;
using Kubes.Agent.Processes;
using Kubes.Agent.Steps;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.OpenVpn;

/// <summary>
/// The bastion's VPN server: openvpn installed → forwarding on, kept on at boot → the clients' range masqueraded → the
/// tls-crypt key (owner-only), the revocation list and server.conf → its unit, restarted when its configuration, key or
/// certificates change, never for a new revocation list (openvpn reads it for every connection) → health.
/// </summary>
public sealed class OpenVpnComponent(AgentPaths paths, PkiFiles pki, StepFactory steps, CommandRunner commands,
    OpenVpnHealthCheck health) : IComponent
{
    public string Name => ComponentNames.OpenVpn;

    public IReadOnlyList<IInstallStep> PlanSteps(RoleConfig config)
    {
        var layout = new OpenVpnLayout(config, paths, pki, steps);
        return
        [
            .. steps.Programs("install-openvpn", layout.Artifact, OpenVpnLayout.Programs),
            steps.RenderFile("configure-ipv4-forwarding", paths.Under("/etc/sysctl.d/60-kubes-openvpn.conf"), IpForwardingStep.SysctlLine,
                AtomicFile.Readable),
            new IpForwardingStep(),
            new MasqueradeStep(layout.ClientNetwork.Cidr, commands),
            steps.RenderFile("configure-openvpn-tls-crypt", layout.TlsCryptFile, layout.OpenVpn.TlsCryptKey, AtomicFile.OwnerOnly),
            // Readable: openvpn reads it again for every new connection, after it dropped to nobody.
            steps.RenderFile("configure-openvpn-crl", layout.CrlFile, layout.OpenVpn.CrlPem, AtomicFile.Readable),
            steps.RenderFile("configure-openvpn-server", layout.ServerConfigFile, OpenVpnServerConfig.Render(layout), AtomicFile.OwnerOnly),
            .. steps.Service(OpenVpnUnit.Build(layout),
                [layout.ServerConfigFile, layout.TlsCryptFile, layout.CertificateFile, layout.KeyFile, layout.CaFile]),
        ];
    }

    public Task<ComponentHealth> CheckHealthAsync(RoleConfig config, CancellationToken cancellationToken) =>
        health.CheckAsync(new OpenVpnLayout(config, paths, pki, steps), cancellationToken);
}
