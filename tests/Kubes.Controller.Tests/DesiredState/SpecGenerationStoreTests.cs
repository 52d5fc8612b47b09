using CsCheck;
using Kubes.Controller.Artifacts;
using Kubes.Controller.DesiredState;
using Kubes.Controller.Spec;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Spec;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.DesiredState;

public sealed class SpecGenerationStoreTests : IDisposable
{
    private static readonly ClusterSpec Spec = ClusterSpecDefaults.Local("gens");
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;
    private readonly SpecGenerationStore _generations;

    public SpecGenerationStoreTests()
    {
        _store = new FolderStateStore(_folder.Path);
        _generations = new SpecGenerationStore(_store);
    }

    public void Dispose() => _folder.Dispose();

    private static PinnedArtifacts Pins(string sha256 = "aa", DateTimeOffset? pinnedAt = null, string evidence = "etcd 3.4.23 (Debian)") =>
        new("1.36.3", "amd64", new Dictionary<string, ArtifactPin>
        {
            ["etcd"] = new()
            {
                Name = "etcd", Version = "3.4.23", File = "etcd-v3.4.23-linux-amd64.tar.gz", Sha256 = sha256,
                Source = PinSource.HostPackage, MirrorKey = $"artifacts/blobs/{sha256}", Evidence = evidence,
                PinnedAt = pinnedAt ?? new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
            },
        }, [], []);

    private static ClusterSpec WithEtcdFlag(string value) => Spec with
    {
        Components = new Dictionary<string, ComponentSpec>
        {
            ["etcd"] = new() { ExtraArgs = new Dictionary<string, string> { ["auto-compaction-retention"] = value } },
        },
    };

    [Fact]
    public async Task The_first_spec_is_generation_1_and_reads_back_as_it_was_recorded()
    {
        var recorded = await _generations.RecordAsync(Spec, Pins(), CancellationToken.None);

        Assert.Equal(1, recorded.Number);
        var read = await new SpecGenerationStore(_store).GetAsync(1, CancellationToken.None);
        Assert.Equal(Spec, read.Spec);
        Assert.Equal(Pins().Pins["etcd"], read.Artifacts.Pins["etcd"]);
        Assert.Equal(("1.36.3", "amd64"), (read.Artifacts.KubernetesVersion, read.Artifacts.Arch));
        Assert.Equal(1, await _generations.NewestNumberAsync(CancellationToken.None));
    }

    [Fact]
    public void Every_valid_spec_reads_back_equal_and_is_the_same_state_when_recorded_again()
    {
        ClusterSpecGen.Valid.Sample(spec =>
        {
            using var folder = new TempFolder();
            var store = new FolderStateStore(folder.Path);
            var first = new SpecGenerationStore(store).RecordAsync(spec, Pins(), CancellationToken.None).GetAwaiter().GetResult();
            var read = new SpecGenerationStore(store).GetAsync(first.Number, CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal(spec, read.Spec);
            Assert.Equal(1, new SpecGenerationStore(store).RecordAsync(read.Spec, Pins(), CancellationToken.None).GetAwaiter().GetResult().Number);
        }, iter: 60);
    }

    [Fact]
    public async Task A_spec_kubes_would_refuse_today_still_reads_back_as_it_was_applied()
    {
        var earlier = Spec with { Region = "us-east-1", StateStore = "" };
        await _generations.RecordAsync(earlier, Pins(), CancellationToken.None);
        Assert.Equal(earlier, (await new SpecGenerationStore(_store).GetAsync(1, CancellationToken.None)).Spec);
    }

    [Fact]
    public async Task The_same_state_again_is_no_new_generation_even_pinned_at_another_time()
    {
        await _generations.RecordAsync(Spec, Pins(), CancellationToken.None);
        var again = await _generations.RecordAsync(Spec, Pins(pinnedAt: DateTimeOffset.UnixEpoch, evidence: "packed again"), CancellationToken.None);

        Assert.Equal(1, again.Number);
        Assert.Single(await _store.ListAsync(SpecGenerationStore.Prefix));
    }

    [Fact]
    public async Task A_changed_spec_or_a_changed_file_is_a_new_generation_and_the_earlier_ones_stay_as_they_were()
    {
        await _generations.RecordAsync(Spec, Pins(), CancellationToken.None);
        var flagged = await _generations.RecordAsync(WithEtcdFlag("2h"), Pins(), CancellationToken.None);
        var repacked = await _generations.RecordAsync(WithEtcdFlag("2h"), Pins(sha256: "bb"), CancellationToken.None);

        Assert.Equal((2, 3), (flagged.Number, repacked.Number));
        Assert.Equal(Spec, (await _generations.GetAsync(1, CancellationToken.None)).Spec);
        Assert.Equal("2h", (await _generations.GetAsync(2, CancellationToken.None)).Spec.Components["etcd"].ExtraArgs["auto-compaction-retention"]);
        Assert.Equal("bb", (await _generations.NewestAsync(CancellationToken.None))!.Artifacts.Pins["etcd"].Sha256);
    }

    [Fact]
    public async Task Two_runs_recording_the_same_new_spec_at_once_make_one_generation()
    {
        await _generations.RecordAsync(Spec, Pins(), CancellationToken.None);
        var both = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new SpecGenerationStore(_store).RecordAsync(WithEtcdFlag("3h"), Pins(), CancellationToken.None)));

        Assert.All(both, generation => Assert.Equal(2, generation.Number));
        Assert.Equal(2, (await _store.ListAsync(SpecGenerationStore.Prefix)).Count);
    }

    [Fact]
    public async Task Pruning_keeps_the_newest_and_every_generation_in_use()
    {
        for (var i = 1; i <= 4; i++) await _generations.RecordAsync(WithEtcdFlag($"{i}h"), Pins(), CancellationToken.None);

        var pruned = await _generations.PruneAsync(_ => Task.FromResult<IReadOnlySet<int>>(new HashSet<int> { 2 }), CancellationToken.None);

        Assert.Equal([1, 3], pruned);
        Assert.Equal([SpecGenerationStore.KeyOf(2), SpecGenerationStore.KeyOf(4)], await _store.ListAsync(SpecGenerationStore.Prefix));
    }

    [Fact]
    public async Task Pruning_a_single_generation_asks_nothing_and_removes_nothing()
    {
        await _generations.RecordAsync(Spec, Pins(), CancellationToken.None);
        var pruned = await _generations.PruneAsync(_ => throw new InvalidOperationException("no need to know what is in use"),
            CancellationToken.None);
        Assert.Empty(pruned);
    }

    [Fact]
    public async Task A_generation_that_is_not_one_says_where_it_is_and_what_to_do()
    {
        await _store.PutAsync(SpecGenerationStore.KeyOf(1), "{\"generation\":1,\"spec\":\"kind: Nonsense\"}"u8.ToArray());
        var error = await Assert.ThrowsAsync<StateStoreException>(() => _generations.GetAsync(1, CancellationToken.None));
        Assert.Contains(SpecGenerationStore.KeyOf(1), error.Message);
        Assert.Contains("Run 'kubes up' with the kubes that created the cluster", error.Message);

        var missing = await Assert.ThrowsAsync<StateStoreException>(() => _generations.GetAsync(7, CancellationToken.None));
        Assert.Contains("run 'kubes up'", missing.Message);
    }
}
