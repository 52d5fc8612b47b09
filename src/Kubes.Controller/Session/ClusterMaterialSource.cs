using Kubes.Controller.Artifacts;
using Kubes.Controller.Components;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Pki.Vpn;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Session;

/// <summary>
/// The current <see cref="ClusterMaterial"/> for a coordinator process: made where missing at load (the tls-crypt key, the
/// VPN ledger with its first revocation list, the Secret encryption keys), then read again from the state store once
/// <see cref="MaxAge"/> has passed, in the background, so a <c>kubes vpn revoke</c> run elsewhere, a controller's new
/// service-account key and a rotated encryption key reach the role configurations this process builds without a read on
/// every one.
/// </summary>
public sealed class ClusterMaterialSource
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private readonly IStateStore _store;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly string _sshUserCa;
    private readonly Func<CancellationToken, Task<ApiEndpoint?>>? _apiEndpoint;
    private readonly SecretEncryptionKeyStore _encryptionKeys;
    private string? _encryptionKeysVersion;
    private ClusterMaterial _current;
    private DateTimeOffset _readAt;
    private int _refreshing;

    private ClusterMaterialSource(IStateStore store, TimeProvider clock, ILogger log, string sshUserCa,
        Func<CancellationToken, Task<ApiEndpoint?>>? apiEndpoint, SecretEncryptionKeyStore encryptionKeys,
        string? encryptionKeysVersion, ClusterMaterial current)
    {
        _apiEndpoint = apiEndpoint;
        _store = store;
        _clock = clock;
        _log = log;
        _sshUserCa = sshUserCa;
        _encryptionKeys = encryptionKeys;
        _encryptionKeysVersion = encryptionKeysVersion;
        _current = current;
        _readAt = clock.GetUtcNow();
    }

    /// <param name="apiEndpoint">Asks the provider for the cluster's API endpoint; null when it does not exist yet, and then
    /// asked again at every refresh until it does (an endpoint never changes once made).</param>
    public static async Task<ClusterMaterialSource> LoadAsync(IStateStore store, ClusterPki pki, CancellationToken cancellationToken,
        TimeProvider? clock = null, ILogger? log = null, Func<CancellationToken, Task<ApiEndpoint?>>? apiEndpoint = null)
    {
        var tlsCrypt = await new TlsCryptKeyStore(store).LoadOrCreateAsync(cancellationToken);
        var ledger = await new VpnProfileLedger(store, clock).LoadOrCreateAsync(pki.Vpn, cancellationToken);
        var sshUserCa = pki.SshUser.PublicKey.ToLine();
        log ??= NullLogger.Instance;
        var endpoint = await AskApiEndpointAsync(apiEndpoint, log, cancellationToken);
        var encryptionKeys = new SecretEncryptionKeyStore(store, await new ClusterPkiRepository(store).PassphraseAsync(cancellationToken), clock);
        var secretKeys = await encryptionKeys.LoadOrCreateAsync(cancellationToken);
        var secretKeysVersion = (await store.GetAsync(SecretEncryptionKeyStore.Key, cancellationToken))?.Version;
        var serviceAccountKeys = await new ServiceAccountPublicKeys(store).LoadAsync(cancellationToken);
        var manifests = await new PinnedManifestReader(store).ReadAsync([], cancellationToken);
        return new ClusterMaterialSource(store, clock ?? TimeProvider.System, log, sshUserCa, apiEndpoint,
            encryptionKeys, secretKeysVersion, new ClusterMaterial(tlsCrypt, ledger.CrlPem, sshUserCa)
            {
                ApiEndpoint = endpoint,
                ServiceAccountPublicKeys = serviceAccountKeys,
                SecretEncryptionKeys = secretKeys,
                Manifests = EquatableList.Of(manifests),
            });
    }

    /// <summary>The material as last read; a read older than <see cref="MaxAge"/> starts the next one.</summary>
    public ClusterMaterial Current
    {
        get
        {
            if (_clock.GetUtcNow() - _readAt > MaxAge && Interlocked.Exchange(ref _refreshing, 1) == 0)
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await RefreshAsync(CancellationToken.None);
                    }
                    catch (Exception e)
                    {
                        _log.LogWarning("Reading the cluster's material (VPN ledger, service-account keys, encryption keys) from {Store} "
                            + "or asking for the API endpoint failed; what was last read stays in use: {Reason}", _store.Location, e.Message);
                    }
                    finally
                    {
                        Volatile.Write(ref _refreshing, 0);
                    }
                });
            return Volatile.Read(ref _current);
        }
    }

    /// <summary>
    /// Reads what may have changed since (the revocation list, the controllers' service-account keys, the pinned manifests, the encryption keys,
    /// which are opened again only when their object changed: that costs the passphrase's key derivation, the API
    /// endpoint until it exists) now.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var ledger = await new VpnProfileLedger(_store, _clock).FindAsync(cancellationToken);
        var serviceAccountKeys = await new ServiceAccountPublicKeys(_store).LoadAsync(cancellationToken);
        var version = (await _store.GetAsync(SecretEncryptionKeyStore.Key, cancellationToken))?.Version;
        var current = Volatile.Read(ref _current);
        var manifests = await new PinnedManifestReader(_store).ReadAsync(current.Manifests, cancellationToken);
        var endpoint = current.ApiEndpoint ?? await AskApiEndpointAsync(_apiEndpoint, _log, cancellationToken);
        var secretKeys = version is not null && version != _encryptionKeysVersion
            ? await _encryptionKeys.LoadOrCreateAsync(cancellationToken)
            : current.SecretEncryptionKeys;
        _encryptionKeysVersion = version ?? _encryptionKeysVersion;
        _readAt = _clock.GetUtcNow();
        Volatile.Write(ref _current, current with
        {
            ApiEndpoint = endpoint,
            VpnCrlPem = ledger?.CrlPem ?? current.VpnCrlPem,
            ServiceAccountPublicKeys = serviceAccountKeys,
            SecretEncryptionKeys = secretKeys,
            Manifests = manifests.SequenceEqual(current.Manifests) ? current.Manifests : EquatableList.Of(manifests),
        });
    }

    /// <summary>The provider's answer; null when it has none yet or does not answer now (asked again at the next refresh:
    /// a cloud that does not answer delays the name, it does not stop the coordinator).</summary>
    private static async Task<ApiEndpoint?> AskApiEndpointAsync(Func<CancellationToken, Task<ApiEndpoint?>>? apiEndpoint, ILogger log,
        CancellationToken cancellationToken)
    {
        if (apiEndpoint is null) return null;
        try
        {
            return await apiEndpoint(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Asking for the cluster's API endpoint failed; asked again in {MaxAge}: {Reason}", MaxAge, e.Message);
            return null;
        }
    }
}
