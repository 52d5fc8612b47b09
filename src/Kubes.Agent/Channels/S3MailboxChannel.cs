using Kubes.Protos.Contract;
using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Google.Protobuf;
using Kubes.Agent.Configuration;
using Kubes.Agent.Retries;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;

namespace Kubes.Agent.Channels;

/// <summary>
/// The conversation as objects in the state store: the agent puts a <see cref="MailboxRequest"/> and polls
/// for the <see cref="MailboxResponse"/> of the same id, which whichever coordinator process runs writes.
/// No inbound path to the operator's machine is needed.
/// </summary>
public sealed class S3MailboxChannel(IAmazonS3 s3, MailboxSettings mailbox, TimeProvider time, MailboxTiming timing,
    ILogger? log = null) : IRegistrarChannel
{
    /// <summary>
    /// Requests put but not answered yet, by their content: a retry of the same request polls the same
    /// object instead of sending another, so a slow coordinator cannot burn the join token twice.
    /// </summary>
    private readonly ConcurrentDictionary<string, string> _unanswered = new();

    private const int MaxUnanswered = 64;

    public async Task<JoinResponse> JoinAsync(JoinRequest request, CancellationToken cancellationToken) =>
        (await ExchangeAsync(request.Identity.InstanceId, new MailboxRequest { Join = request },
            MailboxResponse.BodyOneofCase.Join, cancellationToken)).Join;

    public async Task<CertifyResponse> CertifyAsync(CertifyRequest request, CancellationToken cancellationToken) =>
        (await ExchangeAsync(request.InstanceId, new MailboxRequest { Certify = request },
            MailboxResponse.BodyOneofCase.Certify, cancellationToken)).Certify;

    public async Task<ReportResponse> ReportAsync(ReportRequest request, CancellationToken cancellationToken) =>
        (await ExchangeAsync(request.InstanceId, new MailboxRequest { Report = request },
            MailboxResponse.BodyOneofCase.Report, cancellationToken)).Report;

    /// <param name="credentials">Null for the SDK's default chain: the instance profile on AWS, environment or profile elsewhere.</param>
    public static IAmazonS3 CreateClient(MailboxSettings mailbox, AWSCredentials? credentials = null)
    {
        var config = new AmazonS3Config { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(mailbox.Region) };
        if (!string.IsNullOrEmpty(mailbox.Endpoint))
        {
            config.ServiceURL = mailbox.Endpoint;
            config.AuthenticationRegion = mailbox.Region;
            config.ForcePathStyle = true;
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    private async Task<MailboxResponse> ExchangeAsync(string instanceId, MailboxRequest envelope,
        MailboxResponse.BodyOneofCase expected, CancellationToken cancellationToken)
    {
        var content = Convert.ToBase64String(envelope.ToByteArray());
        if (!_unanswered.TryGetValue(content, out var requestId))
        {
            requestId = SortableId.New(time.GetUtcNow());
            envelope.RequestId = requestId;
            await PutAsync(MailboxKeys.UnderPrefix(mailbox.Prefix, MailboxKeys.Request(instanceId, requestId)), envelope.ToByteArray(), cancellationToken);
            if (_unanswered.Count >= MaxUnanswered)
            {
                _unanswered.Clear();
            }

            _unanswered[content] = requestId;
        }

        var responseKey = MailboxKeys.UnderPrefix(mailbox.Prefix, MailboxKeys.Response(instanceId, requestId));
        var response = await Poll.UntilAsync(ct => new ValueTask<MailboxResponse?>(TryGetResponseAsync(responseKey, ct)),
            answered => answered is not null, new PollTiming(timing.FirstPoll, timing.ResponseTimeout, timing.MaxPoll), time,
            cancellationToken);
        if (response is null)
        {
            throw new RegistrarUnavailableException(
                $"no coordinator answered s3://{mailbox.Bucket}/{MailboxKeys.UnderPrefix(mailbox.Prefix, MailboxKeys.Request(instanceId, requestId))} within {timing.ResponseTimeout.TotalSeconds:0.#}s: " +
                "a coordinator process (kubes up, kubes scale or kubes serve) answers the mailbox; is one running?");
        }

        _unanswered.TryRemove(content, out _);
        await DeleteAsync(responseKey, cancellationToken);
        return Unwrap(response, requestId, expected, responseKey);
    }

    private MailboxResponse Unwrap(MailboxResponse response, string requestId, MailboxResponse.BodyOneofCase expected, string key)
    {
        var where = $"mailbox s3://{mailbox.Bucket}/{key}";
        if (response.RequestId != requestId)
        {
            throw new RegistrarUnavailableException($"{where}: the response names request '{response.RequestId}', not '{requestId}'");
        }

        if (response.BodyCase == MailboxResponse.BodyOneofCase.Error)
        {
            throw RegistrarStatus.FromMailboxError(response.Error.Code, response.Error.Message, where);
        }

        if (response.BodyCase != expected)
        {
            throw new RegistrarUnavailableException($"{where}: expected a {expected} response, got {response.BodyCase}");
        }

        return response;
    }

    private async Task PutAsync(string key, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = mailbox.Bucket,
                Key = key,
                InputStream = new MemoryStream(body),
                ContentType = "application/x-protobuf",
            }, cancellationToken);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable("write", key, e);
        }
    }

    private async Task<MailboxResponse?> TryGetResponseAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(mailbox.Bucket, key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return MailboxResponse.Parser.ParseFrom(buffer.ToArray());
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RegistrarUnavailableException($"s3://{mailbox.Bucket}/{key} is not a MailboxResponse: {e.Message}", e);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable("read", key, e);
        }
    }

    /// <summary>
    /// Removes an answer once read: it may carry the agent's credential, and nobody needs it again. A failure
    /// is logged and does not fail the conversation: the answer is already in hand.
    /// </summary>
    private async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.DeleteObjectAsync(mailbox.Bucket, key, cancellationToken);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            log?.LogWarning("Could not delete the answered mailbox response s3://{Bucket}/{Key}: {Reason}; the instance " +
                            "profile needs s3:DeleteObject on the mailbox responses", mailbox.Bucket, key, e.Message);
        }
    }

    private static bool IsUnreachable(Exception e) =>
        e is AmazonServiceException or HttpRequestException or IOException or AmazonClientException
        || (e is TaskCanceledException && e.InnerException is TimeoutException);

    private RegistrarUnavailableException Unreachable(string verb, string key, Exception e) =>
        new($"could not {verb} s3://{mailbox.Bucket}/{key}: {e.Message}. " +
            "The instance profile needs s3:PutObject and s3:GetObject on the mailbox prefix.", e);
}

public sealed record MailboxTiming(TimeSpan FirstPoll, TimeSpan MaxPoll, TimeSpan ResponseTimeout)
{
    public static MailboxTiming Default { get; } = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
}
