using Kubes.Controller.DesiredState;
using Kubes.Controller.State;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.DesiredState;

public sealed class SlotAssignmentsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FolderStateStore _store;
    private readonly SlotAssignments _assignments;

    public SlotAssignmentsTests()
    {
        _store = new FolderStateStore(_folder.Path);
        _assignments = new SlotAssignments(_store);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_slot_has_no_generation_until_one_is_assigned_and_then_the_last_one_assigned()
    {
        Assert.Null(await _assignments.GetAsync("etcd-0", CancellationToken.None));
        await _assignments.AssignAsync("etcd-0", 1, CancellationToken.None);
        await _assignments.AssignAsync("etcd-0", 3, CancellationToken.None);
        Assert.Equal(3, await _assignments.GetAsync("etcd-0", CancellationToken.None));
    }

    [Fact]
    public async Task A_first_join_assigns_only_a_slot_that_has_none()
    {
        Assert.Equal(2, await _assignments.AssignIfAbsentAsync("etcd-1", 2, CancellationToken.None));
        Assert.Equal(2, await _assignments.AssignIfAbsentAsync("etcd-1", 5, CancellationToken.None));
        Assert.Equal(2, await _assignments.GetAsync("etcd-1", CancellationToken.None));
    }

    [Fact]
    public async Task Every_slot_is_listed_by_name_an_instance_id_as_well()
    {
        await _assignments.AssignAsync("etcd-0", 1, CancellationToken.None);
        await _assignments.AssignAsync("node-2", 2, CancellationToken.None);
        await _assignments.AssignAsync("i-0123456789abcdef0", 2, CancellationToken.None);

        Assert.Equal(new Dictionary<string, int> { ["etcd-0"] = 1, ["i-0123456789abcdef0"] = 2, ["node-2"] = 2 },
            await _assignments.AllAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_damaged_assignment_names_its_key_and_the_way_out()
    {
        await _store.PutAsync(SlotAssignments.KeyOf("etcd-2"), "{\"generation\":"u8.ToArray());
        var error = await Assert.ThrowsAsync<StateStoreException>(() => _assignments.GetAsync("etcd-2", CancellationToken.None));
        Assert.Contains("desired/slots/etcd-2.json", error.Message);
        Assert.Contains("run 'kubes up' to assign slot etcd-2 again", error.Message);
    }

    [Theory]
    [InlineData("../etcd-0")]
    [InlineData("etcd/0")]
    [InlineData("")]
    public void A_name_that_is_not_a_slot_is_no_key(string slot) =>
        Assert.Throws<ArgumentException>(() => SlotAssignments.KeyOf(slot));
}
