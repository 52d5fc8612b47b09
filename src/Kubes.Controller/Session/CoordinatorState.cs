using Kubes.Controller.Artifacts;
using Kubes.Controller.Channels;
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

    public sealed record Loaded(ClusterPki Pki, IssuancePolicy Policy, MirroredArtifact Agent, PinnedArtifacts Artifacts,
        ClusterMaterialSource Material);

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
            var material = await ClusterMaterialSource.LoadAsync(_store, pki, cancellationToken);
            return _loaded = new Loaded(pki, new IssuancePolicy(_topology), agent, artifacts, material);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What <see cref="GetAsync"/> loaded, if anything asked for it yet.</summary>
    public Loaded? Current => _loaded;

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
            RoleConfigs = new TopologyRoleConfigSource(_topology,
                new RoleArtifacts(loaded.Artifacts, urls, ArtifactSite.Of(_topology.Spec)).For, () => loaded.Material.Current),
            SshHostCertificates = new SshHostCertificateIssuer(loaded.Pki.SshHost, _topology.Spec.Ssh.HostCertificateLifetime.Value),
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
