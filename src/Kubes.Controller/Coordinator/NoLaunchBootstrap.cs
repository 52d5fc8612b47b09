using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Coordinator;

/// <summary>For a destroy: it launches nothing, so a request for user-data is a bug.</summary>
public sealed class NoLaunchBootstrap : IInstanceBootstrap
{
    public Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a destroy launches nothing");

    public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a destroy launches nothing");

    public Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a destroy launches nothing");
}
