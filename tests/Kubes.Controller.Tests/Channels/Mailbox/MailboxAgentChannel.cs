using Kubes.Protos.Contract;
using Google.Protobuf;
using Grpc.Core;
using Kubes.Controller.Channels.Mailbox;
using Kubes.Controller.State;
using Kubes.Controller.Tests.Registrar.Support;
using Kubes.Protos.V1;

namespace Kubes.Controller.Tests.Channels.Mailbox;

/// <summary>
/// The agent's side of the mailbox, as the agent does it: a request object in its own folder, then
/// the response object. The test drives the coordinator's answerer instead of waiting for its loop.
/// </summary>
public sealed class MailboxAgentChannel : IAgentChannel
{
    private readonly IStateStore _store;
    private readonly MailboxAnswerer _answerer;

    public MailboxAgentChannel(IStateStore store, MailboxAnswerer answerer)
    {
        _store = store;
        _answerer = answerer;
    }

    public async Task<JoinResponse> JoinAsync(TestAgent agent, JoinRequest request) =>
        (await SendAsync(agent, new MailboxRequest { Join = request })).Join;

    public async Task<CertifyResponse> CertifyAsync(TestAgent agent, CertifyRequest request) =>
        (await SendAsync(agent, new MailboxRequest { Certify = request })).Certify;

    public async Task<ReportResponse> ReportAsync(TestAgent agent, ReportRequest request) =>
        (await SendAsync(agent, new MailboxRequest { Report = request })).Report;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task<MailboxResponse> SendRawAsync(string instanceId, string requestId, byte[] content)
    {
        await _store.PutAsync(MailboxKeys.Request(instanceId, requestId), content);
        var responseKey = MailboxKeys.Response(instanceId, requestId);
        for (var attempt = 0; attempt < 500; attempt++)
        {
            await _answerer.AnswerPendingAsync();
            var stored = await _store.GetAsync(responseKey);
            if (stored is not null)
            {
                await _store.DeleteAsync(responseKey);
                return MailboxResponse.Parser.ParseFrom(stored.Content);
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"no response at {responseKey}");
    }

    /// <summary>Waits for a coordinator's poll loop to answer (bounded, so a broken loop fails the test).</summary>
    public static async Task<MailboxResponse> AwaitResponseAsync(IStateStore store, string instanceId, string requestId)
    {
        for (var attempt = 0; attempt < 3000; attempt++)
        {
            var stored = await store.GetAsync(MailboxKeys.Response(instanceId, requestId));
            if (stored is not null) return MailboxResponse.Parser.ParseFrom(stored.Content);
            await Task.Delay(10);
        }
        throw new TimeoutException($"no mailbox response for {instanceId}/{requestId}");
    }

    private async Task<MailboxResponse> SendAsync(TestAgent agent, MailboxRequest request)
    {
        request.RequestId = Guid.NewGuid().ToString("N");
        var response = await SendRawAsync(agent.InstanceId, request.RequestId, request.ToByteArray());
        Assert.Equal(request.RequestId, response.RequestId);
        if (response.BodyCase == MailboxResponse.BodyOneofCase.Error)
        {
            throw new ChannelRefusedException(Enum.Parse<StatusCode>(response.Error.Code), response.Error.Message);
        }
        Assert.Equal((int)request.BodyCase, (int)response.BodyCase);
        return response;
    }
}
