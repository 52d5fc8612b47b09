using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;

namespace Kubes.Bench.Serve;

/// <summary>
/// The registrar's issuer over the real PKI: an identity the role config names as <c>&lt;kind&gt;/&lt;slot&gt;</c>
/// (etcd-member/0, kubelet-client/7) is signed by <see cref="CsrSigner"/> as the certificate the issuance policy
/// gives that kind for the verified instance's slot.
/// </summary>
public sealed class PolicyCertificateIssuer(ClusterPki pki, IssuancePolicy policy) : ICertificateIssuer
{
    public Task<Kubes.Protos.V1.IssuedCertificate> IssueAsync(VerifiedInstance instance, string identity, string csrPem,
        CancellationToken cancellationToken = default)
    {
        var kind = identity.Split('/')[0];
        var granted = IdentitiesOf(instance).FirstOrDefault(i => i.Kind.Slug() == kind)
            ?? throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"the issuance policy gives {instance.Name} no '{kind}' certificate");
        IssuedCertificate issued;
        try
        {
            issued = CsrSigner.Sign(pki, granted, csrPem);
        }
        catch (CsrRejectedException e)
        {
            throw new RegistrationRefusedException(StatusCode.InvalidArgument, $"the CSR for '{identity}' was refused: {e.Message}");
        }
        return Task.FromResult(new Kubes.Protos.V1.IssuedCertificate
        {
            Identity = identity,
            CertificatePem = issued.CertificatePem,
            CaPem = issued.CaPem,
            NotAfter = Timestamp.FromDateTimeOffset(issued.NotAfter),
        });
    }

    /// <summary>A node slot without a fixed address (AWS) is named from the verified instance.</summary>
    public IReadOnlyList<CertificateIdentity> IdentitiesOf(VerifiedInstance instance) =>
        instance.Slot is { Role: InstanceRole.Node, PrivateIp: null }
            ? policy.ForNode(instance.Name, instance.PrivateIp)
            : policy.ForSlot(instance.Slot);
}
