using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.Topology;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Controller.Components.Sshd;

/// <summary>
/// The SSH server of every instance as the coordinator decides it: the one login user, the user-certificate principal
/// it accepts, the SSH user CA it trusts, and the names its host certificate carries — the slot's name, its private
/// address and its DNS name — which the agent's host key gets certified for (<see cref="SshHostCertificateIssuer"/>).
/// </summary>
public sealed class SshdComponent : IClusterComponent
{
    /// <summary>The account operators log in as on every instance; root logins are off.</summary>
    public const string LoginUser = "kubes";

    /// <summary>The principal of the operators' user certificates, accepted for <see cref="LoginUser"/>.</summary>
    public const string OperatorPrincipal = "kubes-admin";

    public string Name => ComponentNames.Sshd;

    public bool RunsOn(InstanceRole role) => true;

    public IReadOnlyList<string> Artifacts { get; } = [ArtifactNames.OpenSsh];

    public IReadOnlyList<CertificateIdentity> IdentitiesFor(InstanceSlot slot, LeafIdentities leaves) => [];

    public void Configure(RoleConfig config, InstanceSlot slot, VerifiedInstance instance, ClusterTopology topology,
        ClusterMaterial material)
    {
        var sshd = new SshdConfig
        {
            Port = Ports.Ssh,
            LoginUser = LoginUser,
            UserCaPublicKey = material.SshUserCaPublicKey,
        };
        sshd.AuthorizedPrincipals.Add(OperatorPrincipal);
        sshd.HostPrincipals.AddRange(HostPrincipals(topology, slot, instance));
        config.Sshd = sshd;
    }

    /// <summary>
    /// What an instance's host certificate is valid for: the names an operator reaches it by — its slot's (or a group
    /// node's instance id), its private address, and its DNS name in the cluster's domain.
    /// </summary>
    public static IReadOnlyList<string> HostPrincipals(ClusterTopology topology, InstanceSlot slot, VerifiedInstance instance) =>
    [
        instance.Name,
        (slot.PrivateIp ?? instance.PrivateIp).ToString(),
        $"{instance.Name}.{topology.DnsDomain}",
    ];

    public bool TakesExtraArgs => false;

    public string? FlagVersion(ClusterSpec spec) => null;

    public IReadOnlyDictionary<string, string> LockedFlags { get; } = new Dictionary<string, string>();
}
