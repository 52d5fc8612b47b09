using Kubes.Controller.Pki;

namespace Kubes.Controller.Registrar;

/// <summary>
/// Signs one CSR for one identity of a verified instance. The registrar has already checked that the instance is entitled
/// to the identity and that the CSR is a well-formed, self-signed PKCS#10 with the expected key algorithm, and hands over
/// the identity as the issuance policy of the instance's generation makes it: the issuer puts exactly its names, usages
/// and lifetime into the certificate, never anything from the CSR's subject or SANs.
/// Throw <see cref="RegistrationRefusedException"/> for a request that cannot be signed.
/// </summary>
public interface ICertificateIssuer
{
    Task<Kubes.Protos.V1.IssuedCertificate> IssueAsync(VerifiedInstance instance, CertificateIdentity identity, string csrPem,
        CancellationToken cancellationToken = default);
}
