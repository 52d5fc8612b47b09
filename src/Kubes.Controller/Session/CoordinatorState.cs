using Kubes.Controller.Channels;
using Kubes.Controller.Coordinator;
using Kubes.Controller.Pki;
using Kubes.Controller.Pki.Store;
using Kubes.Controller.Registrar;
using Kubes.Controller.Registrar.CallerIdentity;
using Kubes.Controller.State;
using Kubes.Controller.Topology;
using Microsoft.Extensions.Logging;

namespace Kubes.Controller.Session;

/// <summary>
/// What the coordinator keeps in the cluster's state store and needs in memory to bootstrap and answer agents:
/// the CAs, the mirrored agent and role artifacts. Loaded (or created) once, on first use, because on AWS the
/// state bucket itself is one of the resources the same run creates.
/// </summary>
public sealed class CoordinatorState : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ClusterTopology _topology;
    private readonly IStateStore _store;
    private readonly Func<ArtifactMirror, CancellationToken, Task> _mirrorOwnArtifacts;
    private Loaded? _loaded;

    /// <param name="mirrorOwnArtifacts">Puts the role artifacts the provider makes itself into the mirror (the local
    /// provider packs this machine's etcd).</param>
    public CoordinatorState(ClusterTopology topology, IStateStore store, Func<ArtifactMirror, CancellationToken, Task> mirrorOwnArtifacts)
    {
        _topology = topology;
        _store = store;
        _mirrorOwnArtifacts = mirrorOwnArtifacts;
    }

    public sealed record Loaded(ClusterPki Pki, IssuancePolicy Policy, MirroredArtifact Agent,
        IReadOnlyDictionary<string, MirroredArtifact> Mirror);

    public async Task<Loaded> GetAsync(CancellationToken cancellationToken)
    {
        if (_loaded is not null) return _loaded;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_loaded is not null) return _loaded;
            var pki = await new ClusterPkiRepository(_store).LoadOrCreateAsync(_topology.Spec, cancellationToken);
            var mirror = new ArtifactMirror(_store);
            var agent = await mirror.PutAgentAsync(cancellationToken);
            await _mirrorOwnArtifacts(mirror, cancellationToken);
            return _loaded = new Loaded(pki, new IssuancePolicy(_topology), agent, await mirror.IndexAsync(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    public JoinTokenStore Tokens => new(_store, _topology.Spec.Name);

    /// <summary>
    /// The registrar of this cluster, as every process that answers agents hosts it: certificates signed under the
    /// issuance policy, role configurations from the topology with the mirror's artifacts. Channels are the caller's.
    /// </summary>
    public async Task<RegistrarHostOptions> RegistrarOptionsAsync(IInstanceDirectory directory, IArtifactUrls urls,
        CallerIdentityVerifier? callerIdentity, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var loaded = await GetAsync(cancellationToken);
        return new RegistrarHostOptions(_topology, _store, directory, new PolicyCertificateIssuer(loaded.Pki, loaded.Policy))
        {
            RoleConfigs = new TopologyRoleConfigSource(_topology, new RoleArtifacts(loaded.Mirror, urls).For),
            CallerIdentity = callerIdentity,
            Loggers = loggers,
        };
    }

    public void Dispose()
    {
        _loaded?.Pki.Dispose();
        _gate.Dispose();
    }
}
