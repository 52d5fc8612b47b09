using System.Runtime.Versioning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Local;

/// <summary>
/// The instance metadata service of the local provider: one IMDSv2 listener per instance, on the instance's own
/// address and the cluster's metadata port, started and stopped as instances come and go. A process that
/// launches instances itself publishes them here (<see cref="AddAsync"/>); <c>kubes serve</c> runs
/// <see cref="FollowAsync"/>, which keeps the listeners in step with the registry file that <c>kubes up</c> writes.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LocalMetadataService : ILocalMetadataPublisher, IAsyncDisposable
{
    /// <summary>The metadata port of every local instance, on the instance's own address.</summary>
    public const int DefaultPort = 16925;

    private readonly Dictionary<string, ServedInstance> _endpoints = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TimeProvider _time;

    public LocalMetadataService(ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _log = _loggers.CreateLogger<LocalMetadataService>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The instances whose metadata is served now.</summary>
    public IReadOnlyList<string> Served
    {
        get
        {
            lock (_endpoints) return [.. _endpoints.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Serves the instance's metadata; a no-op when it is served already. Replaces an earlier instance on the same endpoint.</summary>
    public async Task AddAsync(LocalInstance instance, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ServedInstance? existing, previous;
            lock (_endpoints)
            {
                _endpoints.TryGetValue(instance.InstanceId, out existing);
                previous = _endpoints.Values.FirstOrDefault(e =>
                    e.Instance.InstanceId != instance.InstanceId && e.Instance.MetadataEndpoint == instance.MetadataEndpoint);
            }
            if (existing is not null) return;
            if (previous is not null) await StopAsync(previous);
            var endpoint = await InstanceMetadataEndpoint.StartAsync(instance, _time, _loggers, cancellationToken);
            lock (_endpoints) _endpoints[instance.InstanceId] = new ServedInstance(instance, endpoint);
            _log.LogInformation("Serving instance metadata of {InstanceId} ({Slot}) at {Endpoint}",
                instance.InstanceId, instance.Slot, instance.MetadataEndpoint);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task RemoveAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ServedInstance? served;
            lock (_endpoints) _endpoints.TryGetValue(instanceId, out served);
            if (served is not null) await StopAsync(served);
        }
        finally
        {
            _gate.Release();
        }
    }

    Task ILocalMetadataPublisher.PublishAsync(LocalInstance instance, CancellationToken cancellationToken) =>
        AddAsync(instance, cancellationToken);

    Task ILocalMetadataPublisher.WithdrawAsync(LocalInstance instance, CancellationToken cancellationToken) =>
        RemoveAsync(instance.InstanceId, cancellationToken);

    /// <summary>
    /// Until cancelled: every <paramref name="interval"/>, serves each instance of the registry that is not terminated and
    /// stops serving the others. How <c>kubes serve</c> learns of the instances another process launches: that
    /// process writes the registry, this one reads it. An instance that cannot be served (its port taken) is retried.
    /// </summary>
    public async Task FollowAsync(LocalInstanceRegistry registry, TimeSpan interval, CancellationToken cancellationToken)
    {
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(registry, reported, cancellationToken);
                await Task.Delay(interval, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ServedInstance> served;
        lock (_endpoints) served = [.. _endpoints.Values];
        foreach (var instance in served) await StopAsync(instance);
    }

    private async Task SyncAsync(LocalInstanceRegistry registry, Dictionary<string, string> reported, CancellationToken cancellationToken)
    {
        IReadOnlyList<LocalInstance> instances;
        try
        {
            instances = await registry.ListAsync(cancellationToken);
        }
        catch (LocalProviderException e)
        {
            Report(reported, registry.FilePath, e.Message);
            return;
        }
        var wanted = instances.Where(i => i.State != LocalInstanceState.Terminated).ToList();
        foreach (var gone in Served.Except(wanted.Select(i => i.InstanceId))) await RemoveAsync(gone, cancellationToken);
        foreach (var instance in wanted)
        {
            try
            {
                await AddAsync(instance, cancellationToken);
                reported.Remove(instance.InstanceId);
            }
            catch (LocalProviderException e)
            {
                Report(reported, instance.InstanceId, e.Message);
            }
        }
    }

    /// <summary>Logs a problem once, not once per round.</summary>
    private void Report(Dictionary<string, string> reported, string subject, string problem)
    {
        if (reported.TryGetValue(subject, out var last) && last == problem) return;
        reported[subject] = problem;
        _log.LogWarning("{Problem}", problem);
    }

    private async Task StopAsync(ServedInstance served)
    {
        lock (_endpoints) _endpoints.Remove(served.Instance.InstanceId);
        await served.Endpoint.DisposeAsync();
        _log.LogInformation("Stopped serving instance metadata of {InstanceId}", served.Instance.InstanceId);
    }

    private sealed record ServedInstance(LocalInstance Instance, InstanceMetadataEndpoint Endpoint);
}
