using Kubes.Protos.Contract;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kubes.Agent.Pki;

/// <summary>A private key made on this instance; it never leaves it. Only its CSR does.</summary>
public sealed class AgentKey : IDisposable
{
    private AgentKey(string algorithm, AsymmetricAlgorithm key)
    {
        Algorithm = algorithm;
        Key = key;
    }

    /// <summary><c>ecdsa-p256</c>, <c>rsa-2048</c> or <c>rsa-4096</c>, as in CertificateRequestSpec.key_algorithm.</summary>
    public string Algorithm { get; }

    public AsymmetricAlgorithm Key { get; }

    public static bool IsSupported(string algorithm) => KeyAlgorithms.IsKnown(algorithm);

    public static AgentKey Generate(string algorithm) => algorithm switch
    {
        KeyAlgorithms.EcdsaP256 => new AgentKey(algorithm, ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        KeyAlgorithms.Rsa2048 => new AgentKey(algorithm, RSA.Create(2048)),
        KeyAlgorithms.Rsa4096 => new AgentKey(algorithm, RSA.Create(4096)),
        _ => throw new NotSupportedException(
            $"key algorithm '{algorithm}' is not one the agent makes (ecdsa-p256, rsa-2048, rsa-4096): the coordinator's policy asks for it"),
    };

    /// <summary>Reads a PKCS#8 PEM key back; null when it is not a key of the given algorithm.</summary>
    public static AgentKey? FromPem(string algorithm, string pem)
    {
        try
        {
            if (algorithm == KeyAlgorithms.EcdsaP256)
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(pem);
                if (ecdsa.KeySize == 256)
                {
                    return new AgentKey(algorithm, ecdsa);
                }

                ecdsa.Dispose();
                return null;
            }

            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            if ((algorithm == "rsa-2048" && rsa.KeySize == 2048) || (algorithm == "rsa-4096" && rsa.KeySize == 4096))
            {
                return new AgentKey(algorithm, rsa);
            }

            rsa.Dispose();
            return null;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    public string ExportPem() => Key.ExportPkcs8PrivateKeyPem();

    public byte[] SubjectPublicKeyInfo => Key.ExportSubjectPublicKeyInfo();

    /// <summary>A PKCS#10 request, PEM, with the identity as its common name. The policy decides everything else.</summary>
    public string CreateSigningRequestPem(string identity)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(identity);
        var request = Key switch
        {
            ECDsa ecdsa => new CertificateRequest(subject.Build(), ecdsa, HashAlgorithmName.SHA256),
            RSA rsa => new CertificateRequest(subject.Build(), rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException(Key.GetType().Name),
        };
        return request.CreateSigningRequestPem();
    }

    public bool IsKeyOf(X509Certificate2 certificate) =>
        certificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(SubjectPublicKeyInfo);

    public void Dispose() => Key.Dispose();
}
