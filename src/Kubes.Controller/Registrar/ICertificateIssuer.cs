namespace Kubes.Controller.Registrar;

/// <summary>
/// Signs one CSR for one identity of a verified instance, under the issuance policy. The registrar
/// has already checked that the slot is entitled to the identity and that the CSR is a well-formed,
/// self-signed PKCS#10 with the expected key algorithm; the issuer decides every name in the
/// certificate from <paramref name="instance"/> and the policy, never from the CSR's subject or SANs.
/// Throw <see cref="RegistrationRefusedException"/> for a request the policy refuses.
/// </summary>
public interface ICertificateIssuer
{
    Task<Kubes.Protos.V1.IssuedCertificate> IssueAsync(VerifiedInstance instance, string identity, string csrPem,
        CancellationToken cancellationToken = default);
}
