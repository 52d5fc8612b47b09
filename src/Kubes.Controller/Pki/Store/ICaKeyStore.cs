namespace Kubes.Controller.Pki.Store;

/// <summary>
/// Where the cluster's CAs and service-account key live between runs. Implementations keep private keys encrypted
/// (<see cref="PkiFileSet"/>) and never overwrite an existing PKI: losing a CA means re-issuing every certificate.
/// </summary>
public interface ICaKeyStore
{
    /// <summary>Whether any part of a PKI is already stored here.</summary>
    Task<bool> ExistsAsync(CancellationToken cancellationToken = default);

    /// <returns>Where each part went, for the operator.</returns>
    /// <exception cref="PkiStoreException">A PKI is already stored here, or writing failed.</exception>
    Task<IReadOnlyList<string>> SaveAsync(ClusterPki pki, CancellationToken cancellationToken = default);

    /// <exception cref="PkiStoreException">Missing or damaged files, or the wrong passphrase.</exception>
    Task<ClusterPki> LoadAsync(CancellationToken cancellationToken = default);
}
