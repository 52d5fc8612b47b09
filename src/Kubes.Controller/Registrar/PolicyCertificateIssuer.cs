using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Kubes.Controller.Pki;

namespace Kubes.Controller.Registrar;

/// <summary>Signs an agent's CSR with the cluster's CAs, exactly as the policy's identity says.</summary>
public sealed class PolicyCertificateIssuer(ClusterPki pki) : ICertificateIssuer
{
    public Task<Protos.V1.IssuedCertificate> IssueAsync(VerifiedInstance instance, CertificateIdentity identity, string csrPem,
        CancellationToken cancellationToken = default)
    {
        IssuedCertificate issued;
        try
        {
            issued = CsrSigner.Sign(pki, identity, csrPem);
        }
        catch (CsrRejectedException e)
        {
            throw new RegistrationRefusedException(StatusCode.InvalidArgument, $"CSR for '{identity.Name}' refused: {e.Reason}");
        }
        return Task.FromResult(new Protos.V1.IssuedCertificate
        {
            Identity = issued.Identity,
            CertificatePem = issued.CertificatePem,
            CaPem = issued.CaPem,
            NotAfter = Timestamp.FromDateTimeOffset(issued.NotAfter),
        });
    }
}
