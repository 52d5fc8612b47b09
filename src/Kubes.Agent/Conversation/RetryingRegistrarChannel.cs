using Kubes.Agent.Channels;
using Kubes.Agent.Retries;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;
using Polly;

namespace Kubes.Agent.Conversation;

/// <summary>
/// Retries a call while the coordinator is unreachable or answers Unavailable, with backoff, until it
/// succeeds, is refused, or the agent stops. A refusal passes through: the same request would be refused again.
/// </summary>
public sealed class RetryingRegistrarChannel(IRegistrarChannel inner, Backoff backoff, TimeProvider time, ILogger log)
    : IRegistrarChannel
{
    private readonly ResiliencePipeline _join = WhileUnavailable("Join", backoff, time, log);
    private readonly ResiliencePipeline _certify = WhileUnavailable("Certify", backoff, time, log);
    private readonly ResiliencePipeline _report = WhileUnavailable("Report", backoff, time, log);

    public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) =>
        _join.ExecuteAsync(async ct => await inner.JoinAsync(request, ct), cancellationToken).AsTask();

    public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) =>
        _certify.ExecuteAsync(async ct => await inner.CertifyAsync(request, ct), cancellationToken).AsTask();

    public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
        _report.ExecuteAsync(async ct => await inner.ReportAsync(request, ct), cancellationToken).AsTask();

    private static ResiliencePipeline WhileUnavailable(string call, Backoff backoff, TimeProvider time, ILogger log) =>
        backoff.RetryForever(e => e is RegistrarUnavailableException, time, notice =>
        {
            log.LogWarning("{Call} did not reach the coordinator (attempt {Attempt}), retrying in {Delay}: {Reason}",
                call, notice.Attempt, notice.Delay, notice.Exception.Message);
            return default;
        });
}
