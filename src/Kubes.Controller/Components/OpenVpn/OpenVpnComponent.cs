using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.OpenVpn;

/// <summary>
/// The bastion's OpenVPN server as the coordinator decides it: UDP on <see cref="Ports.OpenVpn"/> (which only the admin
/// CIDRs reach), a server certificate from the VPN CA, the cluster's tls-crypt key and revocation list, the VPC routed
/// through the tunnel (and, unless the spec splits the tunnel, everything else too), the VPC's resolver pushed, the
/// clients' range masqueraded behind the bastion.
/// </summary>
public sealed class OpenVpnComponent : IClusterComponent
{
    public string Name => ComponentNames.OpenVpn;

    public bool RunsOn(InstanceRole role) => role == InstanceRole.Bastion;

    public IReadOnlyList<string> Artifacts { get; } = [ArtifactNames.OpenVpn];

    /// <summary>
    /// The server's certificate names the bastion's DNS name: profiles check it (<c>verify-x509-name</c>), so a client
    /// certificate of the same CA cannot pose as the server.
    /// </summary>
    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves)
    {
        if (!RunsOn(slot.Role)) return [];
        var name = ServerName(leaves.Topology, slot);
        return [leaves.Leaf(IdentityKind.VpnServer, slot.Name, CertificateAuthorityKind.Vpn, name, [], [name], [],
            ExtendedKeyUsages.ServerAuth)];
    }

    /// <summary>The common name of the bastion's server certificate, which profiles verify.</summary>
    public static string ServerName(ClusterTopology topology, InstanceSlot slot) => topology.FqdnOf(slot);

    public void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var vpn = topology.Spec.Bastion.Vpn;
        var openvpn = new OpenVpnConfig
        {
            Port = Ports.OpenVpn,
            ClientNetwork = vpn.ClientCidr,
            FullTunnel = !vpn.SplitTunnel,
            TlsCryptKey = material.VpnTlsCryptKey,
            CrlPem = material.VpnCrlPem,
        };
        openvpn.Routes.Add(topology.VpcCidr.ToString());
        if (topology.VpcResolver is { } resolver) openvpn.DnsServers.Add(resolver.ToString());
        config.Openvpn = openvpn;
    }

    public bool TakesExtraArgs => false;

    public string? FlagVersion(ClusterSpec spec) => null;

    public IReadOnlyDictionary<string, string> LockedFlags { get; } = new Dictionary<string, string>();
}
