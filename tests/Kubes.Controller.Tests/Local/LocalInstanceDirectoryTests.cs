using System.Net;
using System.Runtime.Versioning;
using Kubes.Controller.Local;
using Kubes.Controller.Registrar;
using Kubes.Controller.Tests.Local.Support;
using Kubes.Controller.Tests.State;

namespace Kubes.Controller.Tests.Local;

[SupportedOSPlatform("linux")]
public sealed class LocalInstanceDirectoryTests : IDisposable
{
    private readonly TempFolder _state = new();

    public void Dispose() => _state.Dispose();

    [Fact]
    public async Task An_instance_is_pending_until_booted_running_while_its_init_lives_and_terminated_after()
    {
        var registry = new LocalInstanceRegistry(_state.Path);
        var directory = new LocalInstanceDirectory(registry);
        var instance = TestInstances.At(IPAddress.Parse("127.9.0.10"), 16925, _state.Path, "etcd-0");
        await registry.AddAsync(instance);
        Assert.Equal(InstanceState.Pending, (await directory.FindAsync(instance.InstanceId))!.State);

        // A session leader that carries the marker stands in for the instance's init.
        using var init = System.Diagnostics.Process.Start("setsid", ["sleep", "30"]);
        await Eventually.TrueAsync(() => ProcessTable.Read(init.Id) is { } p && p.SessionId == init.Id, "setsid to take effect");
        var session = new LocalSession(init.Id, ProcessTable.Read(init.Id)!.Value.StartTicks);
        await registry.UpdateAsync(instance.InstanceId, i => i with { Session = session, State = LocalInstanceState.Running });

        var running = await directory.FindAsync(instance.InstanceId);
        Assert.Equal(InstanceState.Running, running!.State);
        Assert.Equal(IPAddress.Parse("127.9.0.10"), running.PrivateIp);
        Assert.Equal("etcd-0", running.Tags[InstanceTags.Slot]);

        // The same pid with another start time is someone else.
        await registry.UpdateAsync(instance.InstanceId, i => i with { Session = session with { StartTicks = session.StartTicks + 1 } });
        Assert.Equal(InstanceState.Terminated, (await directory.FindAsync(instance.InstanceId))!.State);
        await registry.UpdateAsync(instance.InstanceId, i => i with { Session = session });

        init.Kill();
        await init.WaitForExitAsync();
        Assert.Equal(InstanceState.Terminated, (await directory.FindAsync(instance.InstanceId))!.State);
    }

    [Theory]
    [InlineData("i-0123456789abcdef0")]
    [InlineData("../instances")]
    [InlineData("")]
    public async Task An_unknown_or_malformed_id_is_no_instance(string id)
    {
        var directory = new LocalInstanceDirectory(new LocalInstanceRegistry(_state.Path));

        Assert.Null(await directory.FindAsync(id));
    }
}
