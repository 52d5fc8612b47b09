using Kubes.Controller.Pki;
using Kubes.Protos.V1;

namespace Kubes.Controller.Registrar;

/// <summary>
/// What an instance is to run and hold, from one generation of the desired state: its role configuration, and for each
/// certificate that configuration lists, everything the issuance policy of the same generation puts into it. The
/// registrar signs an agent's CSRs with these identities, so a certificate always matches the <c>policy_hash</c> its
/// configuration carries, whatever spec the answering process was started with.
/// </summary>
/// <param name="Identities">Exactly the identities of <see cref="RoleConfig.Certificates"/>, in the same order.</param>
public sealed record DesiredRole(RoleConfig Config, IReadOnlyList<CertificateIdentity> Identities)
{
    /// <summary>The identity named <paramref name="name"/>, or null when the instance is not entitled to it.</summary>
    public CertificateIdentity? Identity(string name) => Identities.FirstOrDefault(identity => identity.Name == name);
}
