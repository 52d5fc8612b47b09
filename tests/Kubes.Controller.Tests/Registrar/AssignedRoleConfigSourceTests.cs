using Kubes.Controller.Artifacts;
using Kubes.Controller.Components;
using Kubes.Controller.DesiredState;
using Kubes.Controller.Registrar;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Registrar;

/// <summary>
/// Role configurations from the desired state in the state store: a coordinator process started with another spec
/// answers the generation each slot is assigned.
/// </summary>
public sealed class AssignedRoleConfigSourceTests : IDisposable
{
    private static readonly ClusterSpec Spec = ClusterSpecDefaults.Local("assigned");
    /// <summary>The spec the coordinator process was started with: older than any generation recorded below.</summary>
    private static readonly ClusterTopology ProcessTopology = ClusterTopology.From(Spec);

    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;
    private readonly SpecGenerationStore _generations;
    private readonly SlotAssignments _assignments;
    private readonly ManualClock _clock = new();
    private readonly AssignedRoleConfigSource _source;
    private ClusterMaterial _material = new("tls-crypt key", "first revocation list", "ssh-ecdsa user CA");

    public AssignedRoleConfigSourceTests()
    {
        _store = new FolderStateStore(_folder.Path);
        _generations = new SpecGenerationStore(_store);
        _assignments = new SlotAssignments(_store);
        _source = new AssignedRoleConfigSource(_generations, _assignments, new GenerationRoleConfigs(new FolderArtifactUrls(_folder.Path), () => _material),
            new TopologyRoleConfigSource(ProcessTopology, material: () => _material), _clock, TimeSpan.FromSeconds(2));
    }

    public void Dispose() => _folder.Dispose();

    private static VerifiedInstance Etcd(int index)
    {
        var slot = ProcessTopology.FindSlot(InstanceRole.Etcd, index)!;
        return new VerifiedInstance("assigned", $"i-0000000000000000{index}", slot, slot.PrivateIp!);
    }

    private static ClusterSpec WithEtcdFlag(string value) => Spec with
    {
        Components = new Dictionary<string, ComponentSpec>
        {
            ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { ["auto-compaction-retention"] = value } },
        },
    };

    private Task<SpecGeneration> RecordAsync(ClusterSpec spec) =>
        _generations.RecordAsync(spec, PinnedArtifacts.None("1.36.3", "amd64"), CancellationToken.None);

    private static string? FlagOf(Protos.V1.RoleConfig config) => config.Etcd.ExtraArgs.SingleOrDefault()?.Value;

    [Fact]
    public async Task Without_any_generation_the_process_own_topology_answers_and_nothing_is_assigned()
    {
        await _source.FirstJoinAsync(Etcd(0), CancellationToken.None);
        var config = (await _source.ForAsync(Etcd(0), CancellationToken.None)).Config;

        Assert.Equal(new TopologyRoleConfigSource(ProcessTopology, material: () => _material).For(Etcd(0).Slot, Etcd(0)).Config, config);
        Assert.Null(await _assignments.GetAsync("etcd-0", CancellationToken.None));
    }

    [Fact]
    public async Task A_first_join_takes_the_newest_generation_and_keeps_it_when_a_newer_one_is_recorded()
    {
        await RecordAsync(WithEtcdFlag("1h"));
        await _source.FirstJoinAsync(Etcd(0), CancellationToken.None);
        await RecordAsync(WithEtcdFlag("2h"));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, await _assignments.GetAsync("etcd-0", CancellationToken.None));
        Assert.Equal("1h", FlagOf((await _source.ForAsync(Etcd(0), CancellationToken.None)).Config));
        // A slot that never joined is on the newest.
        Assert.Equal("2h", FlagOf((await _source.ForAsync(Etcd(1), CancellationToken.None)).Config));
    }

    [Fact]
    public async Task A_slot_moved_on_by_the_roll_gets_the_new_generation_once_its_assignment_is_read_again()
    {
        await RecordAsync(WithEtcdFlag("1h"));
        await _source.FirstJoinAsync(Etcd(2), CancellationToken.None);
        var before = await _source.DesiredConfigHashAsync(Etcd(2), CancellationToken.None);
        await RecordAsync(WithEtcdFlag("2h"));
        await _assignments.AssignAsync("etcd-2", 2, CancellationToken.None);

        Assert.Equal(before, await _source.DesiredConfigHashAsync(Etcd(2), CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(2));
        var after = await _source.DesiredConfigHashAsync(Etcd(2), CancellationToken.None);

        Assert.NotEqual(before, after);
        var config = (await _source.ForAsync(Etcd(2), CancellationToken.None)).Config;
        Assert.Equal(("2h", after), (FlagOf(config), config.Sealed().ConfigHash));
    }

    [Fact]
    public async Task The_generation_decides_not_the_process_spec()
    {
        await RecordAsync(WithEtcdFlag("5h"));
        var fromStore = (await _source.ForAsync(Etcd(1), CancellationToken.None)).Config;
        var fromOwnSpec = new TopologyRoleConfigSource(ProcessTopology, material: () => _material).For(Etcd(1).Slot, Etcd(1)).Config;

        Assert.Equal("5h", FlagOf(fromStore));
        Assert.Null(FlagOf(fromOwnSpec));
        Assert.Equal(fromOwnSpec.Certificates, fromStore.Certificates);
        Assert.Equal(fromOwnSpec.Etcd.Members, fromStore.Etcd.Members);
    }

    [Fact]
    public async Task A_new_revocation_list_reaches_the_bastion_of_a_recorded_generation_without_a_new_generation()
    {
        var slot = ProcessTopology.FindSlot(InstanceRole.Bastion, 0)!;
        var bastion = new VerifiedInstance("assigned", "i-0000000000000000b", slot, slot.PrivateIp!);
        await RecordAsync(Spec);
        await _source.FirstJoinAsync(bastion, CancellationToken.None);
        var before = await _source.DesiredConfigHashAsync(bastion, CancellationToken.None);

        _material = _material with { VpnCrlPem = "second revocation list" };
        var after = await _source.DesiredConfigHashAsync(bastion, CancellationToken.None);
        var config = (await _source.ForAsync(bastion, CancellationToken.None)).Config;

        Assert.NotEqual(before, after);
        Assert.Equal(("second revocation list", after), (config.Openvpn.CrlPem, config.Sealed().ConfigHash));
        Assert.Equal(1, await _assignments.GetAsync(bastion.Name, CancellationToken.None));
    }
}
