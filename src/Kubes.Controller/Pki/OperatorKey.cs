using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Spec;

namespace Kubes.Controller.Pki;

/// <summary>
/// A private key made on the operator's machine for a certificate an operator's command hands out (a VPN profile, an admin
/// kubeconfig), of the spec's key algorithm, with the CSR that carries its public half to <see cref="CsrSigner"/>.
/// </summary>
public sealed class OperatorKey : IDisposable
{
    private OperatorKey(AsymmetricAlgorithm key, string csrPem)
    {
        Key = key;
        CsrPem = csrPem;
    }

    public AsymmetricAlgorithm Key { get; }

    /// <summary>A PKCS#10 request for <c>CN=commonName</c>; the issuance policy decides everything else.</summary>
    public string CsrPem { get; }

    public string PrivateKeyPem => Key.ExportPkcs8PrivateKeyPem();

    public static OperatorKey Create(KeyAlgorithm algorithm, string commonName)
    {
        AsymmetricAlgorithm key = algorithm switch
        {
            KeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            KeyAlgorithm.Rsa2048 => RSA.Create(2048),
            KeyAlgorithm.Rsa4096 => RSA.Create(4096),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, null),
        };
        var request = key is RSA rsa
            ? new CertificateRequest($"CN={commonName}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest($"CN={commonName}", (ECDsa)key, HashAlgorithmName.SHA256);
        return new OperatorKey(key, request.CreateSigningRequestPem());
    }

    public void Dispose() => Key.Dispose();
}
