namespace Kubes.Controller.Pki;

/// <summary>A signed certificate with the CA that issued it (its peers' trust bundle).</summary>
/// <param name="Identity">The <see cref="CertificateIdentity.Name"/> it was issued for.</param>
public sealed record IssuedCertificate(string Identity, string CertificatePem, string CaPem, DateTimeOffset NotAfter);
