using Kubes.Controller.Topology;

namespace Kubes.Controller.Bootstrap;

/// <summary>For a run that launches nothing (plan, destroy): a request for user-data is a bug.</summary>
public sealed class NoLaunchBootstrap : IInstanceBootstrap
{
    public static NoLaunchBootstrap Instance { get; } = new();

    private NoLaunchBootstrap()
    {
    }

    public Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this run launches nothing");

    public Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this run launches nothing");

    public Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("this run launches nothing");
}
