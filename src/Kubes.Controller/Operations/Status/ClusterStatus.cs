using Kubes.Controller.Operations.Kubeconfig;
using Kubes.Controller.Providers;
using Kubes.Controller.Status;
using Kubes.Controller.Topology;

namespace Kubes.Controller.Operations.Status;

/// <summary>
/// <c>kubes status</c>: every slot with what its agent last reported, read from the state store, and for each node what
/// the Kubernetes API says of it (<see cref="NodeReadiness"/>).
/// </summary>
public static class ClusterStatus
{
    public static async Task<ClusterStatusView> ReadAsync(IClusterSession session, CancellationToken cancellationToken)
    {
        var rows = SlotStatus.For(session.Topology, await new AgentStatusStore(session.Store).ListAsync(cancellationToken));
        // No node has joined: there is nothing to ask the API about, so no admin certificate is made for it.
        if (!rows.Any(IsJoinedNode)) return new ClusterStatusView(rows, null);
        var nodes = await NodeReadiness.ReadAsync(new AdminCredentialIssuer(session).IssueAsync, cancellationToken);
        return new ClusterStatusView(WithNodes(rows, nodes), nodes.Problem);
    }

    /// <summary>Each node row with what the API says of its Node, named as the agent names it (its slot, or its instance id).</summary>
    public static IReadOnlyList<SlotStatus> WithNodes(IReadOnlyList<SlotStatus> rows, NodeReadiness nodes) =>
        rows.Select(row => IsJoinedNode(row) ? row with { Node = nodes.Of(row.Slot) } : row).ToList();

    private static bool IsJoinedNode(SlotStatus row) => row.Role == InstanceRole.Node.TagValue() && row.InstanceId is not null;
}

/// <summary>The slots, and why the API's view of the joined nodes is missing from them (null when it was read, or no node has joined).</summary>
public sealed record ClusterStatusView(IReadOnlyList<SlotStatus> Slots, string? ApiProblem);
