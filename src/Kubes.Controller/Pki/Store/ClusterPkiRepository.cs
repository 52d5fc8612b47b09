using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kubes.Controller.Pki;
using Kubes.Controller.Spec;
using Kubes.Controller.State;

namespace Kubes.Controller.Pki.Store;

/// <summary>
/// The cluster's CAs in its state store, every private key encrypted (PKCS#8, PBES2). The passphrase comes from
/// KUBES_CA_PASSPHRASE when set; otherwise one is generated at the first <c>up</c> and kept in the state store
/// beside the keys — on AWS a private, encrypted bucket, never the operator's disk; for the local provider the
/// state folder is this machine's "cloud", so set KUBES_CA_PASSPHRASE to keep the keys sealed there.
/// </summary>
public sealed class ClusterPkiRepository(IStateStore store, Func<string, string?>? environment = null)
{
    public const string Prefix = "pki/";
    public const string GeneratedPassphraseKey = "pki/passphrase";

    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    public async Task<ClusterPki> LoadOrCreateAsync(ClusterSpec spec, CancellationToken cancellationToken)
    {
        var passphrase = await PassphraseAsync(cancellationToken);
        if (await store.GetAsync(Prefix + PkiFileSet.CertificateFile(CertificateAuthorityKind.Kubernetes), cancellationToken) is not null)
        {
            await AddMissingPartsAsync(spec, passphrase, cancellationToken);
            return await LoadAsync(passphrase, cancellationToken);
        }

        var pki = ClusterPki.Create(spec);
        foreach (var (name, content) in PkiFileSet.Export(pki, passphrase))
        {
            // Put-if-absent: two coordinators racing on a new cluster keep the first CA, and the loser loads it.
            if (!await store.PutIfAbsentAsync(Prefix + name, Encoding.UTF8.GetBytes(content), cancellationToken))
            {
                pki.Dispose();
                return await LoadAsync(passphrase, cancellationToken);
            }
        }
        return pki;
    }

    /// <summary>
    /// The CA certificates alone, in the order of <see cref="CertificateAuthorityKind"/>, without their keys (no passphrase
    /// needed); empty when no <c>kubes up</c> has made them yet.
    /// </summary>
    public async Task<IReadOnlyList<(CertificateAuthorityKind Kind, X509Certificate2 Certificate)>> LoadCertificatesAsync(
        CancellationToken cancellationToken)
    {
        var certificates = new List<(CertificateAuthorityKind, X509Certificate2)>();
        foreach (var kind in Enum.GetValues<CertificateAuthorityKind>())
        {
            if (await store.GetAsync(Prefix + PkiFileSet.CertificateFile(kind), cancellationToken) is not { } stored) continue;
            try
            {
                certificates.Add((kind, X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(stored.Content))));
            }
            catch (CryptographicException e)
            {
                foreach (var (_, certificate) in certificates) certificate.Dispose();
                throw new PkiStoreException($"{store.Location}/{Prefix}{PkiFileSet.CertificateFile(kind)} is not a PEM certificate "
                    + $"({e.Message}); restore it from your backup.", e);
            }
        }
        return certificates;
    }

    /// <summary>
    /// The cluster's PKI for a command that works on a cluster <c>kubes up</c> made (VPN profiles, SSH certificates): never
    /// a new one.
    /// </summary>
    /// <exception cref="PkiStoreException">The state store holds no PKI.</exception>
    public async Task<ClusterPki> LoadExistingAsync(ClusterSpec spec, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(Prefix + PkiFileSet.CertificateFile(CertificateAuthorityKind.Kubernetes), cancellationToken) is null)
            throw new PkiStoreException(
                $"{store.Location} holds no PKI of cluster {spec.Name}: create the cluster with 'kubes up' first (same -f or --local)");
        return await LoadOrCreateAsync(spec, cancellationToken);
    }

    /// <summary>
    /// A PKI made before the VPN CA and the SSH CA existed gets them: each private key is written first, then its public
    /// half, both only where absent; a run that stopped in between leaves a key without its public half, which the load
    /// then names.
    /// </summary>
    private async Task AddMissingPartsAsync(ClusterSpec spec, CaPassphrase passphrase, CancellationToken cancellationToken)
    {
        var missing = new List<(string PublicFile, string PrivateFile)>();
        foreach (var part in PkiFileSet.AddedParts)
        {
            if (await store.GetAsync(Prefix + part.PublicFile, cancellationToken) is null) missing.Add(part);
        }
        if (missing.Count == 0) return;
        using var fresh = ClusterPki.Create(spec);
        var files = PkiFileSet.Export(fresh, passphrase);
        foreach (var (publicFile, privateFile) in missing)
        {
            if (await store.PutIfAbsentAsync(Prefix + privateFile, Encoding.UTF8.GetBytes(files[privateFile]), cancellationToken))
                await store.PutIfAbsentAsync(Prefix + publicFile, Encoding.UTF8.GetBytes(files[publicFile]), cancellationToken);
        }
    }

    private Task<ClusterPki> LoadAsync(CaPassphrase passphrase, CancellationToken cancellationToken) =>
        PkiFileSet.ImportAsync(async (name, ct) =>
            await store.GetAsync(Prefix + name, ct) is { } stored ? Encoding.UTF8.GetString(stored.Content) : null,
            passphrase, $"{store.Location}/{Prefix.TrimEnd('/')}", cancellationToken, PkiFileSet.KeyDecryption.OnFirstUse);

    /// <summary>The passphrase the cluster's private keys are sealed under (see the class); what else the coordinator keeps
    /// sealed (<see cref="PassphraseSeal"/>) uses it too.</summary>
    public async Task<CaPassphrase> PassphraseAsync(CancellationToken cancellationToken)
    {
        if (_environment(CaPassphrase.EnvironmentVariable) is { Length: > 0 } given)
            return CaPassphrase.From(given, CaPassphrase.EnvironmentVariable);
        // Read first: a run on an existing cluster makes no write at all.
        var stored = await store.GetAsync(GeneratedPassphraseKey, cancellationToken);
        if (stored is null)
        {
            var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            await store.PutIfAbsentAsync(GeneratedPassphraseKey, Encoding.UTF8.GetBytes(generated), cancellationToken);
            stored = await store.GetAsync(GeneratedPassphraseKey, cancellationToken);
        }
        stored = stored
                     ?? throw new InvalidOperationException($"{store.Location}/{GeneratedPassphraseKey} vanished while it was written");
        return CaPassphrase.From(Encoding.UTF8.GetString(stored.Content), $"{store.Location}/{GeneratedPassphraseKey}");
    }
}
