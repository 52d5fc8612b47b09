using Kubes.Controller.Topology;

namespace Kubes.Controller.Bootstrap;

/// <summary>Builds the real bootstrap on the first launch, once what it needs (the state store) exists.</summary>
public sealed class DeferredBootstrap(Func<CancellationToken, Task<IInstanceBootstrap>> create) : IInstanceBootstrap
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IInstanceBootstrap? _bootstrap;

    public async Task<string> UserDataAsync(InstanceSlot slot, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken)).UserDataAsync(slot, cancellationToken);

    public async Task<string> GroupUserDataAsync(InstanceRole role, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken)).GroupUserDataAsync(role, cancellationToken);

    public async Task LaunchedAsync(string userData, string instanceId, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken)).LaunchedAsync(userData, instanceId, cancellationToken);

    private async Task<IInstanceBootstrap> GetAsync(CancellationToken cancellationToken)
    {
        if (_bootstrap is not null) return _bootstrap;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return _bootstrap ??= await create(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
