using Grpc.Core;
using Kubes.Agent.Channels;
using Kubes.Agent.Conversation;
using Kubes.Agent.Retries;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Agent.Tests.Conversation;

public sealed class RetryingRegistrarChannelTests
{
    /// <summary>A coordinator that fails a scripted number of times first.</summary>
    private sealed class Flaky(int unavailableTimes, Exception? then = null) : IRegistrarChannel
    {
        public int Calls;

        public Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken)
        {
            Calls++;
            if (Calls <= unavailableTimes)
            {
                throw new RegistrarUnavailableException("connection refused");
            }

            return then is null ? Task.FromResult(new JoinResponse { AgentCredential = "c" }) : throw then;
        }

        public Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static readonly Backoff Tiny = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5));

    [Fact]
    public async Task Retries_while_the_coordinator_is_unavailable()
    {
        var inner = new Flaky(unavailableTimes: 4);
        var channel = new RetryingRegistrarChannel(inner, Tiny, TimeProvider.System, NullLogger.Instance);

        var joined = await channel.JoinAsync(new JoinRequest(), CancellationToken.None);

        Assert.Equal("c", joined.AgentCredential);
        Assert.Equal(5, inner.Calls);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        var inner = new Flaky(unavailableTimes: 1, then: new RegistrarRefusedException(StatusCode.PermissionDenied, "token used"));
        var channel = new RetryingRegistrarChannel(inner, Tiny, TimeProvider.System, NullLogger.Instance);

        await Assert.ThrowsAsync<RegistrarRefusedException>(() => channel.JoinAsync(new JoinRequest(), CancellationToken.None));
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task Stopping_the_agent_ends_the_retries()
    {
        var inner = new Flaky(unavailableTimes: int.MaxValue);
        var channel = new RetryingRegistrarChannel(inner, new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2)),
            TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var call = channel.JoinAsync(new JoinRequest(), stop.Token);
        while (inner.Calls < 3)
        {
            await Task.Delay(1);
        }

        stop.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }
}
