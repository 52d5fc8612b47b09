using Kubes.Controller.Artifacts;
using Kubes.Controller.Channels;
using Kubes.Controller.Components;
using Kubes.Controller.DesiredState;
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
/// the CAs, the mirrored agent, the role artifacts' pins and the desired state per generation. Loaded (or created) once,
/// on first use, because on AWS the state bucket itself is one of the resources the same run creates; that first use
/// comes before any instance is launched, so a run that applies its spec records it before any agent can join.
/// </summary>
public sealed class CoordinatorState : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ClusterTopology _topology;
    private readonly IStateStore _store;
    private readonly ArtifactPinning _artifacts;
    private readonly bool _appliesSpec;
    private readonly Func<CancellationToken, Task<ApiEndpoint?>>? _apiEndpoint;
    private Loaded? _loaded;

    /// <param name="artifacts">Pins what the cluster's roles download (and on the local provider packs this machine's
    /// etcd).</param>
    /// <param name="appliesSpec">This run applies its spec (<c>kubes up</c>): loading records it, with the artifacts pinned
    /// for it, as the cluster's newest generation of the desired state when it differs from the newest.</param>
    /// <param name="apiEndpoint">Asks the provider for the cluster's API endpoint (null while it does not exist), which the
    /// apiserver certificates name (<see cref="ClusterMaterial.ApiEndpoint"/>).</param>
    public CoordinatorState(ClusterTopology topology, IStateStore store, ArtifactPinning artifacts, bool appliesSpec = false,
        Func<CancellationToken, Task<ApiEndpoint?>>? apiEndpoint = null)
    {
        _apiEndpoint = apiEndpoint;
        _topology = topology;
        _store = store;
        _artifacts = artifacts;
        _appliesSpec = appliesSpec;
        Generations = new SpecGenerationStore(store);
        Assignments = new SlotAssignments(store);
    }

    /// <param name="Desired">The newest generation of the desired state, as this run recorded it; null when the run does not
    /// apply its spec.</param>
    /// <param name="Material">What the components get from the cluster's state besides the spec (the VPN's revocation list,
    /// its tls-crypt key, the SSH user CA), current in every generation.</param>
    public sealed record Loaded(ClusterPki Pki, IssuancePolicy Policy, MirroredArtifact Agent, PinnedArtifacts Artifacts,
        SpecGeneration? Desired, ClusterMaterialSource Material);

    /// <summary>The cluster's desired state, one generation per spec applied.</summary>
    public SpecGenerationStore Generations { get; }

    /// <summary>Which generation each slot runs.</summary>
    public SlotAssignments Assignments { get; }

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
            // The pod network's manifest is pinned with what the instances install: the coordinator reads it into the add-ons.
            var artifacts = await _artifacts.PinAsync(spec.KubernetesVersion, CpuArchitecture.OfCluster(spec),
                [.. RoleArtifacts.NamesFor(_topology), ArtifactCatalogue.CniManifestOf(spec).Name], cancellationToken);
            var material = await ClusterMaterialSource.LoadAsync(_store, pki, cancellationToken, apiEndpoint: _apiEndpoint);
            var desired = _appliesSpec ? await Generations.RecordAsync(spec, artifacts, cancellationToken) : null;
            return _loaded = new Loaded(pki, new IssuancePolicy(_topology), agent, artifacts, desired, material);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>What <see cref="GetAsync"/> loaded, if anything asked for it yet.</summary>
    public Loaded? Current => _loaded;

    public JoinTokenStore Tokens => new(_store, _topology.Spec.Name);

    /// <summary>How stale a slot's assignment may be in a report's answer: a roll waits longer than this for the agent anyway.</summary>
    private static readonly TimeSpan AssignmentsReadAgainAfter = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The registrar of this cluster, as every process that answers agents hosts it: role configurations, and
    /// certificates signed under the issuance policy, of the generation of the desired state each slot is assigned (this
    /// process's own topology and pins while none was ever recorded). Channels are the caller's.
    /// </summary>
    public async Task<RegistrarHostOptions> RegistrarOptionsAsync(IInstanceDirectory directory, IArtifactUrls urls,
        CallerIdentityVerifier? callerIdentity, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var loaded = await GetAsync(cancellationToken);
        // What changed since the load (on AWS the load balancer, made by the same run), before the first agent is answered.
        await loaded.Material.RefreshAsync(cancellationToken);
        ClusterMaterial material() => loaded.Material.Current;
        return new RegistrarHostOptions(_topology, _store, directory, new PolicyCertificateIssuer(loaded.Pki))
        {
            RoleConfigs = new AssignedRoleConfigSource(Generations, Assignments, new GenerationRoleConfigs(urls, material),
                new TopologyRoleConfigSource(_topology, new RoleArtifacts(loaded.Artifacts, urls, ArtifactSite.Of(_topology.Spec)).For,
                    material),
                TimeProvider.System, AssignmentsReadAgainAfter),
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
