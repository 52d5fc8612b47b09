using Kubes.Controller.Artifacts;
using Kubes.Controller.Pki;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

/// <summary>
/// What the coordinator keeps in the cluster's state store and needs in memory to bootstrap and answer agents:
/// the CAs, the mirrored agent and the role artifacts' pins. Loaded (or created) once, on first use, because on AWS the
/// state bucket itself is one of the resources the same run creates.
/// </summary>
public sealed class CoordinatorState : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ClusterTopology _topology;
    private readonly IStateStore _store;
    private readonly ArtifactPinning _artifacts;
    private Loaded? _loaded;

    /// <param name="artifacts">Pins what the cluster's roles download (and on the local provider packs this machine's
    /// etcd).</param>
    public CoordinatorState(ClusterTopology topology, IStateStore store, ArtifactPinning artifacts)
    {
        _topology = topology;
        _store = store;
        _artifacts = artifacts;
    }

    public sealed record Loaded(ClusterPki Pki, IssuancePolicy Policy, MirroredArtifact Agent, PinnedArtifacts Artifacts);

    public async Task<Loaded> GetAsync(CancellationToken cancellationToken)
    {
        if (_loaded is not null) return _loaded;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_loaded is not null) return _loaded;
            var pki = await new ClusterPkiRepository(_store).LoadOrCreateAsync(_topology.Spec, cancellationToken);
            var agent = await new ArtifactMirror(_store).PutAgentAsync(cancellationToken);
            var spec = _topology.Spec;
            var artifacts = await _artifacts.PinAsync(spec.KubernetesVersion, CpuArchitecture.OfCluster(spec),
                RoleArtifacts.NamesFor(_topology), cancellationToken);
            return _loaded = new Loaded(pki, new IssuancePolicy(_topology), agent, artifacts);
        }
        finally
        {
            _gate.Release();
        }
    }

    public JoinTokenStore Tokens => new(_store, _topology.Spec.Name);

    public void Dispose()
    {
        _loaded?.Pki.Dispose();
        _gate.Dispose();
    }
}
