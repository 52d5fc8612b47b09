using Grpc.Core;
using Kubes.Agent.Components.Containerd.Cri;

namespace Kubes.StandIns.Nodes;

/// <summary>
/// What a kubelet asks its container runtime first, on the socket of containerRuntimeEndpoint: the CRI
/// RuntimeService's Version (it must speak CRI v1) and Status (RuntimeReady must be true). Retried while the runtime
/// does not answer; a runtime without the CRI plugin, or a wrong socket, never passes. Asked again every 5 s, as the
/// kubelet does, for the <see cref="Readiness"/> its Node's Ready condition shows.
/// </summary>
public sealed class RuntimeServiceCheck(string endpoint)
{
    public string? Problem { get; private set; } = "not asked yet";

    public RuntimeReadiness Readiness { get; private set; } = RuntimeReadiness.NotAskedYet;

    public static string SocketOf(string endpoint) =>
        endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..]
        : endpoint.StartsWith('/') ? endpoint
        : throw new StandInException($"containerRuntimeEndpoint '{endpoint}' is not a unix:// socket");

    public async Task KeepCheckingAsync(CancellationToken cancellationToken)
    {
        using var client = new CriRuntimeClient(SocketOf(endpoint));
        while (!cancellationToken.IsCancellationRequested)
        {
            string? problem;
            string? runtime = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var version = await client.VersionAsync(timeout.Token);
                var status = await client.StatusAsync(timeout.Token);
                runtime = $"{version.RuntimeName} {version.RuntimeVersion}";
                Readiness = RuntimeReadiness.From(version, status);
                var ready = status.Status?.Conditions.FirstOrDefault(c => c.Type == "RuntimeReady");
                problem = version.RuntimeApiVersion != CriRuntimeClient.ApiVersion
                    ? $"{endpoint} speaks CRI {version.RuntimeApiVersion}, not {CriRuntimeClient.ApiVersion}"
                    : ready is not { Status: true }
                        ? $"{endpoint}: RuntimeReady is not true ({ready?.Reason} {ready?.Message})"
                        : null;
            }
            catch (Exception e) when (e is RpcException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problem = $"{endpoint} does not answer the CRI RuntimeService: {e.Message}";
                Readiness = Readiness.Unanswered();
            }

            if (problem != Problem) Log.Info(problem ?? $"container runtime {runtime} answers CRI {CriRuntimeClient.ApiVersion} on {endpoint}");
            Problem = problem;
            try
            {
                await Task.Delay(problem is null ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
