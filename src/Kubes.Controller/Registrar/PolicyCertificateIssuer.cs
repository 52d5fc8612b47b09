using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Kubes.Controller.Pki;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Registrar;

/// <summary>Signs an agent's CSR with the names the issuance policy derives from the verified instance.</summary>
public sealed class PolicyCertificateIssuer(ClusterPki pki, IssuancePolicy policy) : ICertificateIssuer
{
    public Task<Protos.V1.IssuedCertificate> IssueAsync(VerifiedInstance instance, string identity, string csrPem,
        CancellationToken cancellationToken = default)
    {
        var entitled = IdentitiesOf(policy, instance);
        var match = entitled.FirstOrDefault(i => i.Name == identity)
                    ?? throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                        $"{instance.Name} ({instance.InstanceId}) is not entitled to '{identity}'; it may request " +
                        string.Join(", ", entitled.Select(i => i.Name)));
        IssuedCertificate issued;
        try
        {
            issued = CsrSigner.Sign(pki, match, csrPem);
        }
        catch (CsrRejectedException e)
        {
            throw new RegistrationRefusedException(StatusCode.InvalidArgument, $"CSR for '{identity}' refused: {e.Reason}");
        }
        return Task.FromResult(new Protos.V1.IssuedCertificate
        {
            Identity = issued.Identity,
            CertificatePem = issued.CertificatePem,
            CaPem = issued.CaPem,
            NotAfter = Timestamp.FromDateTimeOffset(issued.NotAfter),
        });
    }

    /// <summary>What an instance may ask for: its slot's identities, or for a node without a fixed address (a node of the
    /// Auto Scaling group), the node identities named after its verified instance id at the address the instance directory
    /// reports.</summary>
    public static IReadOnlyList<CertificateIdentity> IdentitiesOf(IssuancePolicy policy, VerifiedInstance instance) =>
        instance.Slot is { Role: InstanceRole.Node, PrivateIp: null }
            ? policy.ForNode(instance.Name, instance.PrivateIp)
            : policy.ForSlot(instance.Slot);
}
