using k8s;
using k8s.Autorest;
using k8s.Models;
using Kubes.Controller.Operations.Kubeconfig;

namespace Kubes.Controller.Operations.Status;

/// <summary>
/// What the Kubernetes API says of each registered Node, read through the HA endpoint as the cluster's admin: its Ready
/// condition ("Ready", or "NotReady: " with the kubelet's message). The agents say whether a node installed and runs;
/// this says whether the control plane counts on it, so <c>kubes status</c> shows both.
/// </summary>
public sealed record NodeReadiness(IReadOnlyDictionary<string, string> ByNode, string? Problem)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The API was not read: why.</summary>
    public static NodeReadiness Unread(string problem) => new(new Dictionary<string, string>(), problem);

    /// <summary>What a node's row shows: its condition, "not registered", or null when the API was not read.</summary>
    public string? Of(string nodeName) => Problem is not null ? null : ByNode.GetValueOrDefault(nodeName, "not registered");

    public static async Task<NodeReadiness> ReadAsync(Func<CancellationToken, Task<AdminCredentials>> credentials, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var admin = await credentials(cancellationToken);
            attempt.CancelAfter(Timeout);
            using var client = new Kubernetes(AdminClientConfiguration.For(admin));
            var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: attempt.Token);
            return new NodeReadiness(nodes.Items.ToDictionary(n => n.Metadata.Name, Condition), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unread($"the API did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpOperationException e)
        {
            return Unread($"the API answered {e.Response.StatusCode:D} {e.Response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or Access.AccessException or Pki.Store.PkiStoreException)
        {
            return Unread(e.Message);
        }
    }

    private static string Condition(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") switch
        {
            null => "NotReady: no Ready condition yet",
            { Status: "True" } => "Ready",
            var c => $"NotReady: {(string.IsNullOrEmpty(c.Message) ? c.Reason : c.Message)}",
        };
}
