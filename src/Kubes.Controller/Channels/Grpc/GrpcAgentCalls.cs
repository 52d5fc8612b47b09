using Kubes.Controller.Spec;

namespace Kubes.Controller.Channels.Grpc;

/// <summary>Whether agents are answered over gRPC: only for a cluster whose agents use it (spec agentChannel: grpc).</summary>
public sealed record GrpcAgentCalls(AgentChannel ClusterChannel)
{
    /// <summary>Why an agent's call is refused, or null when agents are answered here.</summary>
    public string? Refusal => ClusterChannel == AgentChannel.Grpc
        ? null
        : "this cluster's agents use the S3 mailbox (agentChannel: s3): the coordinator answers agents there, not over gRPC";
}
