using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Google.Protobuf;
using Grpc.Core;
using Kubes.Agent.Channels;
using Kubes.Agent.Configuration;
using Kubes.Agent.Conversation;
using Kubes.Agent.Retries;
using Kubes.Agent.Tests.Support;
using Kubes.Protos.V1;

namespace Kubes.Agent.Tests.Channels;

public sealed class S3MailboxChannelTests(MotoServer moto) : IClassFixture<MotoServer>, IAsyncLifetime
{
    private static readonly MailboxTiming Quick = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));

    private readonly TestCertificateAuthority _ca = new();
    private readonly MailboxSettings _mailbox = new()
    {
        Bucket = "state-" + Guid.NewGuid().ToString("N")[..12], Prefix = "clusters/demo", Region = "us-east-1", Endpoint = moto.Endpoint,
    };

    private IAmazonS3 _s3 = null!;

    public async Task InitializeAsync()
    {
        _s3 = S3MailboxChannel.CreateClient(_mailbox, new BasicAWSCredentials("test", "test"));
        await _s3.PutBucketAsync(_mailbox.Bucket);
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        _ca.Dispose();
        return Task.CompletedTask;
    }

    private TestRegistrar Registrar() => new(_ca, "token-1", identity => new RoleConfig
    {
        Cluster = identity.Cluster, Role = identity.Role, Slot = identity.Slot, Name = "node-0", PrivateIp = "127.0.0.1",
    });

    private static JoinRequest Join(string token) => new()
    {
        Identity = new InstanceIdentity { Cluster = "demo", InstanceId = "i-0abc", PrivateIp = "127.0.0.1", Role = Role.Node, JoinToken = token },
    };

    /// <summary>What a coordinator process does with the mailbox: answer every request that has no response yet.</summary>
    private async Task AnswerAsync(TestRegistrar registrar, CancellationToken cancellationToken)
    {
        try
        {
            await AnswerUntilCancelledAsync(registrar, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped in the middle of an S3 call.
        }
    }

    private async Task AnswerUntilCancelledAsync(TestRegistrar registrar, CancellationToken cancellationToken)
    {
        var answered = new HashSet<string>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var listing = await _s3.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = _mailbox.Bucket, Prefix = "clusters/demo/mailbox/requests/",
            }, cancellationToken);
            foreach (var item in listing.S3Objects ?? [])
            {
                if (!answered.Add(item.Key))
                {
                    continue;
                }

                using var body = await _s3.GetObjectAsync(_mailbox.Bucket, item.Key, cancellationToken);
                var request = MailboxRequest.Parser.ParseFrom(body.ResponseStream);
                var response = new MailboxResponse { RequestId = request.RequestId };
                try
                {
                    switch (request.BodyCase)
                    {
                        case MailboxRequest.BodyOneofCase.Join: response.Join = await registrar.Join(request.Join); break;
                        case MailboxRequest.BodyOneofCase.Certify: response.Certify = await registrar.Certify(request.Certify); break;
                        case MailboxRequest.BodyOneofCase.Report: response.Report = await registrar.Report(request.Report); break;
                    }
                }
                catch (RpcException e)
                {
                    response.Error = new MailboxError { Code = e.StatusCode.ToString(), Message = e.Status.Detail };
                }

                var responseKey = item.Key.Replace("/requests/", "/responses/");
                await _s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _mailbox.Bucket, Key = responseKey, InputStream = new MemoryStream(response.ToByteArray()),
                }, cancellationToken);
            }

            await Task.Delay(50, cancellationToken).ContinueWith(_ => { });
        }
    }

    [Fact]
    public async Task Join_and_report_go_through_request_and_response_objects()
    {
        var registrar = Registrar();
        using var stop = new CancellationTokenSource();
        var answerer = AnswerAsync(registrar, stop.Token);
        var channel = new S3MailboxChannel(_s3, _mailbox, TimeProvider.System, Quick);

        var joined = await channel.JoinAsync(Join("token-1"), CancellationToken.None);
        await channel.ReportAsync(new ReportRequest
        {
            InstanceId = "i-0abc", AgentCredential = joined.AgentCredential, Report = new AgentReport { Phase = Phase.Certifying },
        }, CancellationToken.None);
        stop.Cancel();
        await answerer;

        Assert.Equal("node-0", joined.RoleConfig.Name);
        Assert.Single(registrar.Reports);
        var keys = (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _mailbox.Bucket })).S3Objects.Select(o => o.Key).ToList();
        Assert.Equal(2, keys.Count(k => k.StartsWith("clusters/demo/mailbox/requests/i-0abc/") && k.EndsWith(".pb")));
        // Both answers were read and then deleted: the join's carried the agent credential.
        Assert.DoesNotContain(keys, k => k.StartsWith("clusters/demo/mailbox/responses/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mailbox_error_is_the_same_refusal_a_grpc_status_gives()
    {
        var registrar = Registrar();
        using var stop = new CancellationTokenSource();
        var answerer = AnswerAsync(registrar, stop.Token);
        var channel = new S3MailboxChannel(_s3, _mailbox, TimeProvider.System, Quick);

        var error = await Assert.ThrowsAsync<RegistrarRefusedException>(() => channel.JoinAsync(Join("stolen"), CancellationToken.None));
        stop.Cancel();
        await answerer;

        Assert.Equal(StatusCode.PermissionDenied, error.Code);
    }

    [Fact]
    public async Task Without_a_coordinator_the_call_times_out_as_unavailable_and_a_retry_waits_on_the_same_request()
    {
        var registrar = Registrar();
        var channel = new S3MailboxChannel(_s3, _mailbox, TimeProvider.System,
            new MailboxTiming(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300)));

        var error = await Assert.ThrowsAsync<RegistrarUnavailableException>(() => channel.JoinAsync(Join("token-1"), CancellationToken.None));
        Assert.Contains("no coordinator answered", error.Message);

        using var stop = new CancellationTokenSource();
        var answerer = AnswerAsync(registrar, stop.Token);
        var retrying = new RetryingRegistrarChannel(channel, new Backoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10)),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var joined = await retrying.JoinAsync(Join("token-1"), CancellationToken.None);
        stop.Cancel();
        await answerer;

        Assert.Equal("node-0", joined.RoleConfig.Name);
        Assert.Equal(1, registrar.JoinCount);
        var requests = (await _s3.ListObjectsV2Async(new ListObjectsV2Request
        {
            BucketName = _mailbox.Bucket, Prefix = "clusters/demo/mailbox/requests/",
        })).S3Objects;
        Assert.Single(requests);
    }

    [Fact]
    public async Task An_unreachable_store_is_unavailable()
    {
        var dead = _mailbox with { Endpoint = $"http://127.0.0.1:{FreePort.OnLoopback()}" };
        using var s3 = S3MailboxChannel.CreateClient(dead, new BasicAWSCredentials("test", "test"));
        var channel = new S3MailboxChannel(s3, dead, TimeProvider.System, Quick);

        await Assert.ThrowsAsync<RegistrarUnavailableException>(() => channel.JoinAsync(Join("token-1"), CancellationToken.None));
    }
}
