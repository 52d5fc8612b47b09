using Grpc.Core;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Channels;

/// <summary>
/// How a test agent reaches the registrar: over gRPC from its own address, or through the mailbox
/// in its own folder. A refusal surfaces as <see cref="ChannelRefusedException"/> on both.
/// </summary>
public interface IAgentChannel : IAsyncDisposable
{
    Task<JoinResponse> JoinAsync(TestAgent agent, JoinRequest request);
    Task<CertifyResponse> CertifyAsync(TestAgent agent, CertifyRequest request);
    Task<ReportResponse> ReportAsync(TestAgent agent, ReportRequest request);
}

public sealed class ChannelRefusedException(StatusCode code, string message) : Exception($"{code}: {message}")
{
    public StatusCode Code { get; } = code;
    public string Detail { get; } = message;
}
