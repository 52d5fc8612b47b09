using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Providers;

namespace Kubes.Controller.Operations.Kubeconfig;

/// <summary>What a kubeconfig needs to reach the cluster as its admin: the endpoint, the CA to trust, the client's key and
/// certificate. Names follow the cluster: the cluster entry and the context are its name, the user <c>NAME-admin</c>.</summary>
public sealed record AdminCredentials(string Cluster, Uri Server, string CaPem, string CertificatePem, string PrivateKeyPem,
    DateTimeOffset NotAfter)
{
    public string ContextName => Cluster;
    public string UserName => $"{Cluster}-admin";
}

/// <summary>
/// <c>kubes kubeconfig</c>'s credentials: a key made here, on the operator's machine, and a short-lived admin certificate
/// (<c>spec.pki.adminCertificateLifetime</c>) signed by the cluster's Kubernetes CA in this process (its key decrypted in
/// memory, never written), for the cluster's HA API endpoint.
/// </summary>
public sealed class AdminCredentialIssuer(IClusterSession session, TimeProvider? clock = null)
{
    /// <exception cref="PkiStoreException">The cluster has no PKI yet.</exception>
    /// <exception cref="Access.AccessException">The cluster has no API endpoint yet.</exception>
    public async Task<AdminCredentials> IssueAsync(CancellationToken cancellationToken)
    {
        var spec = session.Topology.Spec;
        var endpoint = await session.ApiEndpointAsync(cancellationToken);
        using var pki = await new ClusterPkiRepository(session.Store).LoadExistingAsync(spec, cancellationToken);
        var identity = new IssuancePolicy(session.Topology).ForAdmin();
        using var key = OperatorKey.Create(spec.Pki.KeyAlgorithm, identity.CommonName);
        var issued = CsrSigner.Sign(pki, identity, key.CsrPem, clock);
        return new AdminCredentials(spec.Name, endpoint.Url, pki.Kubernetes.CertificatePem, issued.CertificatePem, key.PrivateKeyPem,
            issued.NotAfter);
    }
}
