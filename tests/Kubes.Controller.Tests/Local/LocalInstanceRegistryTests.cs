using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Local;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Local;

[SupportedOSPlatform("linux")]
public sealed class LocalInstanceRegistryTests : IDisposable
{
    private readonly TempFolder _state = new();
    private readonly ManualClock _clock = new();

    public void Dispose() => _state.Dispose();

    private LocalInstance Instance(string slot, int octet = 10) =>
        TestInstances.At(IPAddress.Parse($"127.9.0.{octet}"), 16925, _state.Path, slot);

    [Fact]
    public async Task A_record_reads_back_as_written_from_an_owner_only_file()
    {
        var registry = new LocalInstanceRegistry(_state.Path, _clock);
        var instance = Instance("etcd-0") with { Session = new LocalSession(4242, 987654321), State = LocalInstanceState.Running };

        await registry.AddAsync(instance);

        var read = await new LocalInstanceRegistry(_state.Path).FindAsync(instance.InstanceId);
        Assert.NotNull(read);
        Assert.Equal(instance with { Tags = read.Tags }, read);
        Assert.Equal(instance.Tags.OrderBy(t => t.Key), read.Tags.OrderBy(t => t.Key));
        Assert.Equal(Path.Join(_state.Path, "local", "instances.json"), registry.FilePath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(registry.FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(registry.FilePath)!));
        var json = await File.ReadAllTextAsync(registry.FilePath);
        Assert.Contains("\"state\": \"running\"", json);
        Assert.Contains("\"kubes.io/slot\": \"etcd-0\"", json);
    }

    [Fact]
    public async Task Two_writers_on_one_file_lose_none_of_each_others_records()
    {
        // Two registries hold two open files, as two processes would: only the file lock keeps them apart.
        var first = new LocalInstanceRegistry(_state.Path);
        var second = new LocalInstanceRegistry(_state.Path);
        var instances = Enumerable.Range(0, 40).Select(i => Instance($"node-{i}", 10 + i)).ToList();

        await Task.WhenAll(instances.Select((instance, i) => Task.Run(() => (i % 2 == 0 ? first : second).AddAsync(instance))));
        await Task.WhenAll(instances.Select((instance, i) => Task.Run(() =>
            (i % 2 == 0 ? second : first).UpdateAsync(instance.InstanceId, r => r with { State = LocalInstanceState.Running }))));

        var listed = await first.ListAsync();
        Assert.Equal(instances.Select(i => i.InstanceId).Order(), listed.Select(i => i.InstanceId).Order());
        Assert.All(listed, i => Assert.Equal(LocalInstanceState.Running, i.State));
    }

    [Fact]
    public async Task A_slot_holds_one_instance_until_that_one_is_terminated()
    {
        var registry = new LocalInstanceRegistry(_state.Path, _clock);
        var first = Instance("controller-0");
        await registry.AddAsync(first);

        var error = await Assert.ThrowsAsync<LocalProviderException>(() => registry.AddAsync(Instance("controller-0")));
        Assert.Contains(first.InstanceId, error.Message);
        Assert.Contains("kubes up again", error.Message);

        await registry.UpdateAsync(first.InstanceId, i => i with { State = LocalInstanceState.Terminated, TerminatedAt = _clock.GetUtcNow() });
        await registry.AddAsync(Instance("controller-0"));
        Assert.Equal(2, (await registry.ListAsync()).Count);
    }

    [Fact]
    public async Task Terminated_instances_are_listed_for_an_hour_then_forgotten()
    {
        var registry = new LocalInstanceRegistry(_state.Path, _clock);
        var gone = Instance("etcd-1");
        await registry.AddAsync(gone);
        await registry.UpdateAsync(gone.InstanceId, i => i with { State = LocalInstanceState.Terminated, TerminatedAt = _clock.GetUtcNow() });

        _clock.Advance(TimeSpan.FromMinutes(59));
        await registry.AddAsync(Instance("etcd-2", 11));
        Assert.NotNull(await registry.FindAsync(gone.InstanceId));

        _clock.Advance(TimeSpan.FromMinutes(2));
        await registry.AddAsync(Instance("etcd-3", 12));
        Assert.Null(await registry.FindAsync(gone.InstanceId));
        Assert.Equal(2, (await registry.ListAsync()).Count);
    }

    [Fact]
    public async Task No_file_means_no_instances_and_a_damaged_file_is_named_in_the_error()
    {
        var registry = new LocalInstanceRegistry(_state.Path);
        Assert.Empty(await registry.ListAsync());

        Directory.CreateDirectory(Path.GetDirectoryName(registry.FilePath)!);
        await File.WriteAllTextAsync(registry.FilePath, "{\"instances\": [");

        var error = await Assert.ThrowsAsync<LocalProviderException>(() => registry.ListAsync());
        Assert.Contains(registry.FilePath, error.Message);
    }

    [Fact]
    public async Task Updating_an_unknown_instance_says_which_and_where()
    {
        var registry = new LocalInstanceRegistry(_state.Path);

        var error = await Assert.ThrowsAsync<LocalProviderException>(() => registry.UpdateAsync("i-0123456789abcdef0", i => i));

        Assert.Contains("i-0123456789abcdef0", error.Message);
        Assert.Contains(registry.FilePath, error.Message);
    }
}
