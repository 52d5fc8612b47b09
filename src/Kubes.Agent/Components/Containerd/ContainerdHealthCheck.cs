using Grpc.Core;
using Kubes.Agent.Components.Containerd.Cri;
using Kubes.Protos.Contract;
using Kubes.Protos.V1;

namespace Kubes.Agent.Components.Containerd;

/// <summary>
/// Asks containerd what a kubelet asks it: CRI <c>Version</c> and <c>Status</c> on its socket. Healthy means the CRI
/// plugin answers and reports <c>RuntimeReady</c>; <c>NetworkReady</c> stays false until the CNI add-on has written the
/// node's network configuration, which is the network's state, not containerd's, and is only told in the detail.
/// </summary>
public sealed class ContainerdHealthCheck
{
    public const string RuntimeReady = "RuntimeReady";
    public const string NetworkReady = "NetworkReady";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<ComponentHealth> CheckAsync(ContainerdLayout layout, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var cri = new CriRuntimeClient(layout.Socket);
            var version = await cri.VersionAsync(timeout.Token);
            var status = await cri.StatusAsync(timeout.Token);
            var conditions = status.Status?.Conditions.ToDictionary(c => c.Type, c => c) ?? [];
            var runtime = conditions.GetValueOrDefault(RuntimeReady);
            var network = conditions.GetValueOrDefault(NetworkReady);
            return new ComponentHealth
            {
                Component = ComponentNames.Containerd,
                Healthy = runtime is { Status: true },
                Detail = $"{version.RuntimeName} {version.RuntimeVersion} (CRI {version.RuntimeApiVersion}): "
                         + $"{Describe(RuntimeReady, runtime)}, {Describe(NetworkReady, network)}",
            };
        }
        catch (Exception e) when (e is RpcException or HttpRequestException or IOException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new ComponentHealth
            {
                Component = ComponentNames.Containerd,
                Healthy = false,
                Detail = $"no CRI answer on {layout.Socket}: {e.Message}",
            };
        }
    }

    private static string Describe(string type, RuntimeCondition? condition) => condition switch
    {
        null => $"{type} not reported",
        { Status: true } => type,
        _ => $"not {type} ({condition.Reason}{(condition.Message.Length > 0 ? ": " + condition.Message : "")})",
    };
}
