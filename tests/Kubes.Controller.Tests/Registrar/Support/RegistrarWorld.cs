using System.Net;
using System.Security.Cryptography;
using Kubes.Controller.Artifacts;
using Kubes.Controller.Components;
using Kubes.Controller.Components.KubeApiServer;
using Kubes.Controller.DesiredState;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Registrar.Support;

/// <summary>
/// A cluster "prod" whose VPC is 127.0.0.0/16, so every slot's fixed address is a loopback address
/// a test agent can connect from; a registrar over the given state store, answering the desired state recorded there
/// (the world's own topology until a test records a generation); and instances the test launches into the in-memory
/// directory with their join tokens.
/// </summary>
public sealed class RegistrarWorld : IDisposable
{
    public const string ClusterName = "prod";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    private RegistrarWorld(IStateStore store, AgentChannel channel, SshHostCertificateIssuer? sshHosts, ClusterMaterial? material)
    {
        Store = store;
        Spec = new ClusterSpec
        {
            Name = ClusterName,
            Provider = ProviderKind.Local,
            AgentChannel = channel,
            Network = new NetworkSpec { VpcCidr = "127.0.0.0/16" },
        };
        Topology = ClusterTopology.From(Spec);
        Tokens = new JoinTokenStore(store, ClusterName, Clock);
        Status = new StatusHub(new AgentStatusStore(store));
        Generations = new SpecGenerationStore(store);
        Assignments = new SlotAssignments(store);
        Func<ClusterMaterial>? current = material is null ? null : () => material;
        var roleConfigs = new AssignedRoleConfigSource(Generations, Assignments,
            new GenerationRoleConfigs(new FolderArtifactUrls("/unused"), current), new TopologyRoleConfigSource(Topology, material: current),
            Clock, assignmentsTtl: TimeSpan.Zero);
        Registrar = new AgentRegistrar(Topology, Directory, Tokens, new AgentCredentialStore(store, Clock), roleConfigs, Issuer,
            new IssuanceRecord(store), Status, Log, Clock, sshHosts: sshHosts, serviceAccountKeys: new ServiceAccountPublicKeys(store));
    }

    public ClusterSpec Spec { get; }
    public ClusterTopology Topology { get; }
    public IStateStore Store { get; }
    public ManualClock Clock { get; } = new();
    public InMemoryInstanceDirectory Directory { get; } = new();
    public TestCertificateIssuer Issuer { get; } = new();
    public RecordingLogger<AgentRegistrar> Log { get; } = new();
    public JoinTokenStore Tokens { get; }
    public StatusHub Status { get; }
    public AgentRegistrar Registrar { get; }
    public SpecGenerationStore Generations { get; }
    public SlotAssignments Assignments { get; }

    /// <summary>Records <paramref name="spec"/> as the newest desired state, as <c>kubes up</c> does (no artifacts).</summary>
    public Task<SpecGeneration> RecordGenerationAsync(ClusterSpec spec) =>
        Generations.RecordAsync(spec, PinnedArtifacts.None(spec.KubernetesVersion, "amd64"), CancellationToken.None);

    /// <param name="channel">How the cluster's agents talk: a registrar host answers them only there.</param>
    /// <param name="sshHosts">Certifies SSH host keys; none refuses them.</param>
    /// <param name="material">What role configurations get from the coordinator's state; none gives <see cref="ClusterMaterial.None"/>.</param>
    public static RegistrarWorld Create(IStateStore store, AgentChannel channel = AgentChannel.Grpc,
        SshHostCertificateIssuer? sshHosts = null, ClusterMaterial? material = null) => new(store, channel, sshHosts, material);

    /// <summary>
    /// Puts a running instance, tagged for the slot, at the slot's address, and issues its join
    /// token (bound to the slot, or to the instance id with <paramref name="bindTokenToInstance"/>).
    /// </summary>
    public async Task<TestAgent> LaunchAsync(InstanceRole role, int slot, bool bindTokenToInstance = false,
        IReadOnlyDictionary<string, string>? tags = null, IPAddress? address = null)
    {
        var place = Topology.FindSlot(role, slot) ?? throw new ArgumentException($"no slot {role}-{slot}");
        var instanceId = "i-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(9))[..17];
        address ??= place.PrivateIp!;
        Directory.Put(new InstanceRecord(instanceId, InstanceState.Running, address, tags ?? new Dictionary<string, string>
        {
            [InstanceTags.Cluster] = ClusterName,
            [InstanceTags.Role] = role.TagValue(),
            [InstanceTags.Slot] = place.Name,
        }));
        var token = bindTokenToInstance
            ? await Tokens.IssueForInstanceAsync(instanceId, role, slot, TokenLifetime)
            : await Tokens.IssueForSlotAsync(role, slot, TokenLifetime);
        return new TestAgent(instanceId, role, slot, address, token);
    }

    public void Dispose() => Issuer.Dispose();
}
