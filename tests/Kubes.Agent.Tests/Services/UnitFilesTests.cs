using Kubes.Agent.Services;
using Kubes.Agent.Tests.Support;

namespace Kubes.Agent.Tests.Services;

public sealed class UnitFilesTests : IDisposable
{
    private readonly TempRoot _root = new();
    private readonly UnitFiles _files;

    public UnitFilesTests() => _files = new UnitFiles(_root.Join("etc", "systemd", "system"));

    public void Dispose() => _root.Dispose();

    private static SystemdUnit Unit(params string[] dropIns) => new()
    {
        Name = "demo", Description = "demo", ExecStart = ["/bin/sleep", "600"],
        DropIns = dropIns.Select(name => new SystemdDropIn { Name = name, Environment = [new("FROM", name)] }).ToList(),
    };

    private string DropIn(string name) => Path.Join(_files.DropInDirectory("demo"), name + ".conf");

    [Fact]
    public async Task A_drop_in_the_unit_no_longer_has_is_removed_and_an_operators_own_is_kept_and_applied()
    {
        _files.Write(Unit("10-a", "20-b"));
        await File.WriteAllTextAsync(DropIn("90-operator"), "[Service]\nEnvironment=FROM=operator\n");

        _files.Write(Unit("10-a"));

        Assert.True(File.Exists(DropIn("10-a")));
        Assert.False(File.Exists(DropIn("20-b")));
        Assert.True(await _files.AreWrittenAsync(Unit("10-a"), CancellationToken.None));
        var read = await _files.ReadAsync("demo", CancellationToken.None);
        Assert.Equal([new("FROM", "operator")], read.Environment);
    }

    [Fact]
    public async Task An_edited_drop_in_or_a_stale_one_of_ours_is_not_written()
    {
        _files.Write(Unit("10-a", "20-b"));
        Assert.True(await _files.AreWrittenAsync(Unit("10-a", "20-b"), CancellationToken.None));

        Assert.False(await _files.AreWrittenAsync(Unit("10-a"), CancellationToken.None));

        await File.AppendAllTextAsync(DropIn("10-a"), "Environment=EDITED=1\n");
        Assert.False(await _files.AreWrittenAsync(Unit("10-a", "20-b"), CancellationToken.None));
    }

    [Fact]
    public async Task A_unit_that_is_not_installed_cannot_be_read() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() => _files.ReadAsync("absent", CancellationToken.None));
}
