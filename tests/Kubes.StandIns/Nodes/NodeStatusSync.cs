using System.Text.Json.Nodes;
using Kubes.StandIns.Clients;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// What the kubelet does with its Node through the API server of its kubeconfig: registers it (POST; a Node already
/// there under its name is read and taken over, as a restarted kubelet does), then posts its status every
/// nodeStatusUpdateFrequency (<see cref="NodeStatusReport"/>), logging each change of its Ready condition. While the
/// API server cannot be reached or refuses, it keeps trying; a Node deleted meanwhile is registered again.
/// </summary>
public sealed class NodeStatusSync(NodeRegistration node, int kubeletPort, TimeSpan updateFrequency, RuntimeServiceCheck runtime,
    ApiServerConnection api, TimeProvider clock)
{
    private const int ConflictAttempts = 5;

    private bool _registered;
    private bool _takingOver;
    private string? _problem;

    public async Task KeepSyncingAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string? problem;
            try
            {
                problem = _registered ? null : await RegisterAsync(cancellationToken);
                if (_registered) problem = await UpdateStatusAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problem = $"node {node.Name}: the API server does not answer: {ApiServerConnection.Describe(e)}";
            }

            if (problem is not null && problem != _problem) Log.Info($"{problem}; trying again");
            _problem = problem;
            try
            {
                // The kubelet retries a failed registration with a growing back-off from 100 ms; the stand-in waits a second.
                await Task.Delay(_registered ? updateFrequency : TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<string?> RegisterAsync(CancellationToken cancellationToken)
    {
        var created = await api.SendAsync(HttpMethod.Post, NodeRegistration.Collection, node.NewNode(), cancellationToken);
        if (created.Status == 201)
        {
            Log.Info($"Successfully registered node {node.Name} (uid {created.Body?["metadata"]?["uid"]})");
            _registered = true;
            return null;
        }

        if (created.Reason != "AlreadyExists") return created.Describe(HttpMethod.Post, NodeRegistration.Collection);
        Log.Info($"Node {node.Name} was previously registered: taking it over");
        _registered = _takingOver = true;
        return null;
    }

    /// <summary>Reads the Node and writes it back with this kubelet's status, from the resourceVersion read; a conflict reads it again.</summary>
    private async Task<string?> UpdateStatusAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= ConflictAttempts; attempt++)
        {
            var read = await api.SendAsync(HttpMethod.Get, node.Path, null, cancellationToken);
            if (read.Status == 404)
            {
                _registered = false;
                return $"node {node.Name} is not registered any more (404)";
            }

            if (read is not { Status: 200, Body: { } current }) return read.Describe(HttpMethod.Get, node.Path);
            if (_takingOver) node.TakeOver(current);
            var (was, ready) = NodeStatusReport.Apply(current, node, kubeletPort, runtime.Readiness, clock.GetUtcNow());
            // A kubelet writes the status subresource (PUT or PATCH .../nodes/<name>/status); the stand-in apiserver
            // answers subresources 404, so the whole Node is written, carrying the resourceVersion read.
            var written = await api.SendAsync(HttpMethod.Put, node.Path, current, cancellationToken);
            if (written.Reason == "Conflict") continue;
            if (written.Status != 200) return written.Describe(HttpMethod.Put, node.Path);
            _takingOver = false;
            if (Describe(was) != Describe(ready)) Log.Info($"Node {node.Name} status is now: {Describe(ready)}");
            return null;
        }

        return $"PUT {node.Path} met a newer resourceVersion {ConflictAttempts} times in a row";
    }

    /// <summary>A Ready condition as the log tells it: the kubelet's event name, then its status, reason and message.</summary>
    private static string? Describe(JsonObject? ready) => ready is null
        ? null
        : $"{(ready["status"]?.ToString() == "True" ? "NodeReady" : "NodeNotReady")} (Ready={ready["status"]} {ready["reason"]}: {ready["message"]})";
}
