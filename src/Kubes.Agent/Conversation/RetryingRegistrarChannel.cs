using Kubes.Agent.Channels;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Conversation;

/// <summary>
/// Retries a call while the coordinator is unreachable or answers Unavailable, with backoff, until it
/// succeeds, is refused, or the agent stops. A refusal passes through: the same request would be refused again.
/// </summary>
public sealed class RetryingRegistrarChannel(IRegistrarChannel inner, Backoff backoff, TimeProvider time, ILogger log)
    : IRegistrarChannel
{
    public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) =>
        RetryAsync("Join", ct => inner.JoinAsync(request, ct), cancellationToken);

    public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) =>
        RetryAsync("Certify", ct => inner.CertifyAsync(request, ct), cancellationToken);

    public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
        RetryAsync("Report", ct => inner.ReportAsync(request, ct), cancellationToken);

    private async Task<T> RetryAsync<T>(string call, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (RegistrarUnavailableException e)
            {
                var pause = backoff.Delay(failures);
                log.LogWarning("{Call} did not reach the coordinator (attempt {Attempt}), retrying in {Delay}: {Reason}",
                    call, failures + 1, pause, e.Message);
                await Task.Delay(pause, time, cancellationToken);
            }
        }
    }
}
