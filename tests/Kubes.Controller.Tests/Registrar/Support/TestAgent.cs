using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kubes.Controller.Registrar;
using Kubes.Controller.Topology;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Registrar.Support;

/// <summary>What an agent on a launched instance knows, and the requests it builds from it.</summary>
public sealed record TestAgent(string InstanceId, InstanceRole Role, int Slot, IPAddress Address, string JoinToken)
{
    public JoinRequest Join(string? proof = null, InstanceRole? role = null, int? slot = null, string? instanceId = null,
        string cluster = RegistrarWorld.ClusterName) => new()
    {
        AgentVersion = "test",
        Identity = new InstanceIdentity
        {
            Cluster = cluster,
            InstanceId = instanceId ?? InstanceId,
            PrivateIp = Address.ToString(),
            AvailabilityZone = "us-east-1a",
            Role = (role ?? Role).ToProto(),
            Slot = slot ?? Slot,
            JoinToken = proof ?? JoinToken,
        },
    };

    public CertifyRequest Certify(string credential, params CertificateSigningRequest[] requests)
    {
        var request = new CertifyRequest { InstanceId = InstanceId, AgentCredential = credential };
        request.Requests.AddRange(requests);
        return request;
    }

    public ReportRequest Report(string credential, Phase phase, string step = "") => new()
    {
        InstanceId = InstanceId,
        AgentCredential = credential,
        Report = new AgentReport { Phase = phase, Step = step },
    };

    /// <summary>A CSR for the identity with a fresh key made here, as the agent does; the key is returned too.</summary>
    public static (CertificateSigningRequest Csr, AsymmetricAlgorithm Key) Csr(string identity, string keyAlgorithm = "ecdsa-p256")
    {
        AsymmetricAlgorithm key;
        CertificateRequest request;
        if (keyAlgorithm == "ecdsa-p256")
        {
            var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            (key, request) = (ec, new CertificateRequest($"CN={identity}", ec, HashAlgorithmName.SHA256));
        }
        else
        {
            var rsa = RSA.Create(int.Parse(keyAlgorithm["rsa-".Length..]));
            (key, request) = (rsa, new CertificateRequest($"CN={identity}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }
        return (new CertificateSigningRequest { Identity = identity, CsrPem = request.CreateSigningRequestPem() }, key);
    }
}
