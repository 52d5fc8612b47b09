using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Controller.Pki;

/// <summary>
/// Signs PKCS#10 requests under the issuance policy. Of the request only the public key is used, after the request's
/// signature proves the requester holds the private key. Everything else in it is ignored, not checked against the
/// policy: its subject, its subjectAltName and every other requested extension (basicConstraints, keyUsage,
/// extendedKeyUsage, ...) and every other attribute (challengePassword, ...). The certificate carries exactly the
/// <see cref="CertificateIdentity"/>'s names and usages, so a request cannot widen what the policy grants.
/// </summary>
public static class CsrSigner
{
    /// <summary>Larger input is refused before parsing; a PKCS#10 request with an RSA 8192 key is about 2 KiB.</summary>
    public const int MaxCsrPemLength = 16 * 1024;

    public const int MinRsaKeySize = 2048;
    public const int MaxRsaKeySize = 8192;

    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    /// <exception cref="CsrRejectedException">Malformed, oversized, unverifiable, or with a key the PKI does not accept.</exception>
    /// <exception cref="InvalidOperationException">The issuing CA has expired.</exception>
    public static IssuedCertificate Sign(ClusterPki pki, CertificateIdentity identity, string csrPem,
        TimeProvider? clock = null)
    {
        var (publicKey, rsaKey) = VerifiedPublicKey(csrPem);
        var ca = pki[identity.Issuer];
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        if (now >= ca.NotAfter)
            throw new InvalidOperationException(
                $"the {ca.Kind.Slug()} CA expired on {ca.NotAfter:u}; the cluster's CAs must be rotated before "
                + $"{identity.Name} can be issued");
        var notAfter = now + identity.Lifetime;
        // A leaf never outlives its CA.
        if (notAfter > ca.NotAfter) notAfter = ca.NotAfter;
        var notBefore = now - BackdateOf(identity.Lifetime);

        var request = new CertificateRequest(SubjectOf(identity), publicKey, SigningKey.HashAlgorithm);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(identity.KeyUsageFor(rsaKey), critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(EkuOids(identity.ExtendedKeyUsages), false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, critical: false));
        request.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));
        if (identity.DnsNames.Count + identity.IpAddresses.Count > 0)
        {
            var names = new SubjectAlternativeNameBuilder();
            foreach (var dns in identity.DnsNames) names.AddDnsName(dns);
            foreach (var ip in identity.IpAddresses) names.AddIpAddress(ip);
            request.CertificateExtensions.Add(names.Build());
        }

        using var certificate = request.Create(ca.Certificate.SubjectName, ca.Key.SignatureGenerator(), notBefore, notAfter,
            SerialNumber.NewRandom());
        return new IssuedCertificate(identity.Name, certificate.ExportCertificatePem(), ca.CertificatePem,
            new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));
    }

    /// <summary>
    /// How far a leaf's notBefore is set back, so that a host whose clock lags a little accepts it: the CA's allowance, but
    /// never more than a tenth of the lifetime, so that a certificate of minutes (tests) is renewed after two thirds of
    /// the lifetime asked for, not of the allowance.
    /// </summary>
    public static TimeSpan BackdateOf(TimeSpan lifetime) =>
        lifetime / 10 < CertificateAuthority.ClockSkewAllowance ? lifetime / 10 : CertificateAuthority.ClockSkewAllowance;

    private static X500DistinguishedName SubjectOf(CertificateIdentity identity)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var organization in identity.Organizations) subject.AddOrganizationName(organization);
        subject.AddCommonName(identity.CommonName);
        return subject.Build();
    }

    private static OidCollection EkuOids(ExtendedKeyUsages usages)
    {
        var oids = new OidCollection();
        if (usages.HasFlag(ExtendedKeyUsages.ServerAuth)) oids.Add(new Oid(ExtendedKeyUsageOids.ServerAuth));
        if (usages.HasFlag(ExtendedKeyUsages.ClientAuth)) oids.Add(new Oid(ExtendedKeyUsageOids.ClientAuth));
        return oids;
    }

    /// <summary>The request's public key, once its type and size are acceptable and its signature verifies.</summary>
    private static (PublicKey Key, bool Rsa) VerifiedPublicKey(string? csrPem)
    {
        if (string.IsNullOrWhiteSpace(csrPem))
            throw new CsrRejectedException("the request is empty; send a PEM-encoded PKCS#10 CERTIFICATE REQUEST");
        if (csrPem.Length > MaxCsrPemLength)
            throw new CsrRejectedException(
                $"the request is {csrPem.Length} characters long, more than the {MaxCsrPemLength} accepted");

        // Default options verify the request's self-signature: proof that the requester holds the private key. Only when
        // that fails is the request parsed again without it, to tell an unacceptable key from a bad signature.
        CertificateRequest parsed;
        try
        {
            parsed = CertificateRequest.LoadSigningRequestPem(csrPem, SigningKey.HashAlgorithm);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or NotSupportedException)
        {
            CertificateRequest unverified;
            try
            {
                unverified = CertificateRequest.LoadSigningRequestPem(csrPem, SigningKey.HashAlgorithm,
                    CertificateRequestLoadOptions.SkipSignatureValidation);
            }
            catch (Exception malformed) when (malformed is CryptographicException or ArgumentException)
            {
                throw new CsrRejectedException($"the request is not a PEM-encoded PKCS#10 CERTIFICATE REQUEST ({malformed.Message})");
            }
            CheckKey(unverified.PublicKey);
            throw new CsrRejectedException(
                "the request's signature does not verify with its own public key: it was altered, or not signed by "
                + "the key it carries");
        }
        var rsa = CheckKey(parsed.PublicKey);
        return (parsed.PublicKey, rsa);
    }

    /// <returns>Whether the key is RSA.</returns>
    private static bool CheckKey(PublicKey key)
    {
        const string accepted = "the PKI accepts ECDSA P-256 or P-384, or RSA of 2048 to 8192 bits";
        try
        {
            switch (key.Oid.Value)
            {
                case KeyOids.EcPublicKey:
                    using (var ecdsa = key.GetECDsaPublicKey()!)
                    {
                        var curve = ecdsa.ExportParameters(false).Curve.Oid;
                        if (curve.Value is not (P256Oid or P384Oid))
                            throw new CsrRejectedException(
                                $"the request's key is on curve {curve.FriendlyName ?? curve.Value}; {accepted}");
                    }
                    return false;
                case KeyOids.Rsa:
                    using (var rsa = key.GetRSAPublicKey()!)
                    {
                        if (rsa.KeySize is < MinRsaKeySize or > MaxRsaKeySize)
                            throw new CsrRejectedException($"the request's key is RSA {rsa.KeySize}; {accepted}");
                    }
                    return true;
                default:
                    throw new CsrRejectedException(
                        $"the request's key is of type {key.Oid.FriendlyName ?? key.Oid.Value}; {accepted}");
            }
        }
        catch (CryptographicException e)
        {
            throw new CsrRejectedException($"the request's public key cannot be read ({e.Message}); {accepted}");
        }
    }
}
