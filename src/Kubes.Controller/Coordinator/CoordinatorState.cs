using Kubes.Protos.Contract;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

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
    private readonly Func<ArtifactMirror, CancellationToken, Task>? _mirrorRoleArtifacts;
    private Loaded? _loaded;

    /// <param name="mirrorRoleArtifacts">Puts role artifacts into the mirror when the provider makes its own (the local
    /// provider packages this machine's etcd); null leaves the mirror as it is.</param>
    public CoordinatorState(ClusterTopology topology, IStateStore store, Func<ArtifactMirror, CancellationToken, Task>? mirrorRoleArtifacts)
    {
        _topology = topology;
        _store = store;
        _mirrorRoleArtifacts = mirrorRoleArtifacts;
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
            if (_mirrorRoleArtifacts is not null) await _mirrorRoleArtifacts(mirror, cancellationToken);
            return _loaded = new Loaded(pki, new IssuancePolicy(_topology), agent, await mirror.IndexAsync(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    public JoinTokenStore Tokens => new(_store, _topology.Spec.Name);

    public static async Task MirrorHostEtcdAsync(ArtifactMirror mirror, CancellationToken cancellationToken)
    {
        var package = await EtcdHostPackage.CreateAsync(cancellationToken);
        await mirror.PutAsync(ArtifactNames.Etcd, package.Version, package.FileName, package.Content, cancellationToken);
    }

    public void Dispose()
    {
        _loaded?.Pki.Dispose();
        _gate.Dispose();
    }
}
