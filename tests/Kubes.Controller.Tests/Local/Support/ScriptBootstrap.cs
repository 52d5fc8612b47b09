using Kubes.Controller.Bootstrap;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Tests.Local.Support;

/// <summary>User-data from a test: the same script for every slot, or one per slot.</summary>
internal sealed class ScriptBootstrap(Func<InstanceSlot, string> script) : IInstanceBootstrap
{
    public Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken) => Task.FromResult(script(slot));

    public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the local provider launches every instance into its own slot");

    public Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken) => Task.CompletedTask;
}
