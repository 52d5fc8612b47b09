using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Kubes.Controller.Pki;

namespace Kubes.Controller.Channels.Grpc;

/// <summary>
/// Who may watch agent status over gRPC (instance ids, addresses, errors): the operator, by the TLS client
/// certificate the Kubernetes CA issues to the cluster admin (O=system:masters, as in the kubeconfig).
/// Instances hold Kubernetes CA client certificates too (kubelets, controllers), but never system:masters.
/// </summary>
public sealed class WatchAuthorization
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string OrganizationOid = "2.5.4.10";

    private readonly X509Certificate2 _kubernetesCa;

    public WatchAuthorization(X509Certificate2 kubernetesCa)
    {
        _kubernetesCa = kubernetesCa;
    }

    /// <summary>Throws an Unauthenticated or PermissionDenied <see cref="RpcException"/> saying why the caller may not watch.</summary>
    public void Check(X509Certificate2? client)
    {
        if (client is null)
        {
            throw Refused(StatusCode.Unauthenticated,
                "watching agent status needs the cluster's admin client certificate (O=system:masters, the one in " +
                "'kubes kubeconfig'); the connection presented no client certificate");
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_kubernetesCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthOid));
        if (!chain.Build(client))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            throw Refused(StatusCode.PermissionDenied,
                $"the client certificate '{client.Subject}' is not a client certificate of this cluster's Kubernetes CA: {status}");
        }
        var organizations = client.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(name => name.GetSingleElementType().Value == OrganizationOid)
            .Select(name => name.GetSingleElementValue());
        if (!organizations.Contains(KubernetesGroups.Masters, StringComparer.Ordinal))
        {
            throw Refused(StatusCode.PermissionDenied,
                $"the client certificate '{client.Subject}' is not the cluster admin's (O={KubernetesGroups.Masters}); " +
                "watch with the admin certificate from 'kubes kubeconfig'");
        }
    }

    private static RpcException Refused(StatusCode code, string reason) => new(new global::Grpc.Core.Status(code, reason));
}
