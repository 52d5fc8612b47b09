using Kubes.Protos.Contract;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Kubes.Controller.Registrar;
using Kubes.Controller.State;
using Kubes.Protos.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kubes.Controller.Channels.Mailbox;

/// <summary>
/// The registrar over the state store: reads agents' MailboxRequest objects, answers each through
/// the same <see cref="AgentRegistrar"/> (without a peer address: the proof is the join token and
/// the instance lookup) and writes the MailboxResponse, then deletes the request.
/// Any number of coordinator processes may answer at once: a request is worked on only by the
/// process that claimed it (put-if-absent, taken over by compare-and-swap when the claim is older
/// than <see cref="ClaimLease"/>), and the response is written with put-if-absent.
/// </summary>
public sealed class MailboxAnswerer
{
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an answer waits for its agent (which deletes it once read). Far longer than an agent polls for
    /// one; past it, the agent has died or given up, and the answer (it may carry a credential) is removed.
    /// </summary>
    public static readonly TimeSpan UnreadAnswerLifetime = TimeSpan.FromMinutes(30);

    /// <summary>How often unread answers are looked for (each is read to learn its age).</summary>
    public static readonly TimeSpan UnreadAnswerSweep = TimeSpan.FromMinutes(1);
    private const int Parallelism = 8;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IStateStore _store;
    private readonly AgentRegistrar _registrar;
    private readonly ILogger _logger;
    private readonly RefusalLog _refusals;
    private readonly TimeProvider _time;
    private readonly string _owner;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;
    private Dictionary<string, (string Tag, DateTimeOffset? AnsweredAt)> _answerTimes = new(StringComparer.Ordinal);

    public MailboxAnswerer(IStateStore store, AgentRegistrar registrar, ILogger<MailboxAnswerer>? logger = null,
        TimeProvider? time = null)
    {
        _store = store;
        _registrar = registrar;
        _logger = logger ?? NullLogger<MailboxAnswerer>.Instance;
        _time = time ?? TimeProvider.System;
        _refusals = new RefusalLog(_logger, _time);
        _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    }

    /// <summary>
    /// Answers every request waiting now and (at most every <see cref="UnreadAnswerSweep"/>) removes answers left
    /// unread past <see cref="UnreadAnswerLifetime"/>; returns how many responses this process wrote.
    /// </summary>
    public async Task<int> AnswerPendingAsync(CancellationToken cancellationToken = default)
    {
        var keys = await _store.ListAsync(MailboxKeys.RequestsFolder, cancellationToken);
        // One listing of the answers serves the whole pass: a request already answered is only cleaned up.
        var answers = keys.Count > 0 || _time.GetUtcNow() >= _nextSweep
            ? await _store.ListEntriesAsync(MailboxKeys.ResponsesFolder, cancellationToken)
            : [];
        await RemoveUnreadAnswersAsync(answers, cancellationToken);
        var answeredKeys = answers.Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);
        var answered = 0;
        await Parallel.ForEachAsync(keys,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                if (await AnswerOneAsync(key, answeredKeys, ct)) Interlocked.Increment(ref answered);
            });
        return answered;
    }

    /// <summary>Answers the mailbox every <paramref name="interval"/> until cancelled; a failed pass is logged and retried.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        _logger.LogInformation("Answering the agent mailbox in {Location} every {Interval}", _store.Location, interval);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await AnswerPendingAsync(cancellationToken);
                await Task.Delay(interval, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Answering the mailbox in {Location} failed; retrying in {Interval}", _store.Location, interval);
                try
                {
                    await Task.Delay(interval, _time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task RemoveUnreadAnswersAsync(IReadOnlyList<StoredEntry> listed, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _nextSweep) return;
        _nextSweep = now + UnreadAnswerSweep;
        var seen = new Dictionary<string, (string Tag, DateTimeOffset? AnsweredAt)>(StringComparer.Ordinal);
        foreach (var entry in listed)
        {
            // Each answer is read once to learn its time (the listing has the store's clock, not this process's).
            var answeredAt = _answerTimes.TryGetValue(entry.Key, out var known) && known.Tag == entry.Tag
                ? known.AnsweredAt
                : await AnsweredAtAsync(entry.Key, cancellationToken);
            seen[entry.Key] = (entry.Tag, answeredAt);
            // An answer without a time (an older coordinator's) is kept: its request may still be waiting on it.
            if (answeredAt is not { } at || now - at < UnreadAnswerLifetime) continue;
            _logger.LogInformation("Removing mailbox answer {Key}: unread since {At:u}", entry.Key, at);
            await _store.DeleteAsync(entry.Key, cancellationToken);
            seen.Remove(entry.Key);
        }
        _answerTimes = seen;
    }

    private async Task<DateTimeOffset?> AnsweredAtAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await _store.GetAsync(key, RegistrarLimits.MaxRequestBytes, cancellationToken);
            return stored is null ? null : TryParseResponse(stored.Content)?.AnsweredAt?.ToDateTimeOffset();
        }
        catch (Exception e) when (e is StateObjectTooLargeException or UnservableEntryException)
        {
            return null; // No coordinator wrote it; it must not stop the mailbox from being answered.
        }
    }

    private static MailboxResponse? TryParseResponse(byte[] content)
    {
        try
        {
            return MailboxResponse.Parser.ParseFrom(content);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <param name="answeredKeys">The answers listed at the start of this pass.</param>
    private async Task<bool> AnswerOneAsync(string key, IReadOnlySet<string> answeredKeys, CancellationToken cancellationToken)
    {
        if (!MailboxKeys.TryParseRequest(key, out var instanceId, out var requestId))
        {
            _refusals.Refused("the mailbox", key, StatusCode.InvalidArgument,
                "not a request (mailbox/requests/<instance-id>/<request-id>.pb); deleted");
            await _store.DeleteAsync(key, cancellationToken);
            return false;
        }
        var responseKey = MailboxKeys.Response(instanceId, requestId);
        var claimKey = MailboxKeys.Claim(instanceId, requestId);
        if (answeredKeys.Contains(responseKey))
        {
            await CleanUpAsync(key, claimKey, cancellationToken);
            return false;
        }
        if (!await TryClaimAsync(claimKey, cancellationToken)) return false;
        // Answered since the listing? Then by a process that deleted the request before releasing its claim, so the read
        // below finds nothing. A claim taken over is at least a lease old: an answer its holder wrote was listed.

        try
        {
            var response = await ReadAndAnswerAsync(key, instanceId, requestId, cancellationToken);
            if (response is null)
            {
                await _store.DeleteAsync(claimKey, cancellationToken);
                return false;
            }
            response.AnsweredAt = Timestamp.FromDateTimeOffset(_time.GetUtcNow());
            var written = await _store.PutIfAbsentAsync(responseKey, response.ToByteArray(), cancellationToken);
            await CleanUpAsync(key, claimKey, cancellationToken);
            return written;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not the agent's fault (the state store, the cloud): leave the request for the next pass.
            _logger.LogError(e, "Answering mailbox request {Key} failed; it stays in the mailbox for the next pass", key);
            await _store.DeleteAsync(claimKey, CancellationToken.None);
            return false;
        }
    }

    /// <summary>The answer to the request at <paramref name="key"/>, or null when it is gone.</summary>
    private async Task<MailboxResponse?> ReadAndAnswerAsync(string key, string instanceId, string requestId,
        CancellationToken cancellationToken)
    {
        StoredObject? request;
        try
        {
            request = await _store.GetAsync(key, RegistrarLimits.MaxRequestBytes, cancellationToken);
        }
        catch (StateObjectTooLargeException tooLarge)
        {
            return Refused(instanceId, requestId, new RegistrationRefusedException(StatusCode.InvalidArgument,
                $"the mailbox request is {tooLarge.Size} bytes (not read); at most {tooLarge.MaxBytes} are accepted"));
        }
        catch (UnservableEntryException unservable)
        {
            // A link or a named pipe where a request should be: the store removed it unopened; nobody is waiting on it.
            _refusals.Refused($"the mailbox of {instanceId}", $"mailbox request {requestId}", StatusCode.InvalidArgument, unservable.Message);
            return null;
        }
        return request is null ? null : await AnswerAsync(request.Content, instanceId, requestId, cancellationToken);
    }

    private async Task<MailboxResponse> AnswerAsync(byte[] content, string instanceId, string requestId,
        CancellationToken cancellationToken)
    {
        var response = new MailboxResponse { RequestId = requestId };
        MailboxRequest request;
        try
        {
            request = Parse(content, requestId);
            CheckSender(instanceId, request);
        }
        catch (RegistrationRefusedException refusal)
        {
            return Refused(instanceId, requestId, refusal);
        }
        try
        {
            switch (request.BodyCase)
            {
                case MailboxRequest.BodyOneofCase.Join:
                    response.Join = await _registrar.JoinAsync(request.Join, peer: null, cancellationToken);
                    break;
                case MailboxRequest.BodyOneofCase.Certify:
                    response.Certify = await _registrar.CertifyAsync(request.Certify, peer: null, cancellationToken);
                    break;
                case MailboxRequest.BodyOneofCase.Report:
                    response.Report = await _registrar.ReportAsync(request.Report, peer: null, cancellationToken);
                    break;
            }
        }
        catch (RegistrationRefusedException refusal)
        {
            // The registrar has logged it.
            response.Error = ErrorOf(refusal);
        }
        return response;
    }

    private MailboxResponse Refused(string instanceId, string requestId, RegistrationRefusedException refusal)
    {
        _refusals.Refused($"the mailbox of {instanceId}", $"mailbox request {requestId}", refusal.Code, refusal.Message);
        return new MailboxResponse { RequestId = requestId, Error = ErrorOf(refusal) };
    }

    private static MailboxError ErrorOf(RegistrationRefusedException refusal) =>
        new() { Code = refusal.Code.ToString(), Message = refusal.Message };

    private static MailboxRequest Parse(byte[] content, string requestId)
    {
        MailboxRequest request;
        try
        {
            request = MailboxRequest.Parser.ParseFrom(content);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RegistrationRefusedException(StatusCode.InvalidArgument,
                $"the mailbox object is not a kubes.v1.MailboxRequest: {e.Message}");
        }
        if (request.RequestId != requestId)
        {
            throw new RegistrationRefusedException(StatusCode.InvalidArgument,
                $"the mailbox request's request_id '{request.RequestId}' differs from its object name '{requestId}'");
        }
        return request;
    }

    /// <summary>An agent writes only under its own instance id; the folder and the message must agree.</summary>
    private static void CheckSender(string folderInstanceId, MailboxRequest request)
    {
        var messageInstanceId = request.BodyCase switch
        {
            MailboxRequest.BodyOneofCase.Join => request.Join.Identity?.InstanceId,
            MailboxRequest.BodyOneofCase.Certify => request.Certify.InstanceId,
            MailboxRequest.BodyOneofCase.Report => request.Report.InstanceId,
            _ => throw new RegistrationRefusedException(StatusCode.InvalidArgument,
                "the mailbox request has no join, certify or report body"),
        };
        if (!InstanceIds.IsValid(messageInstanceId))
        {
            throw new RegistrationRefusedException(StatusCode.InvalidArgument,
                $"the mailbox request of instance {folderInstanceId} names no valid instance id");
        }
        if (messageInstanceId != folderInstanceId)
        {
            throw new RegistrationRefusedException(StatusCode.PermissionDenied,
                $"a request for instance '{messageInstanceId}' was left in the mailbox of instance {folderInstanceId}");
        }
    }

    private async Task<bool> TryClaimAsync(string claimKey, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var claim = JsonSerializer.SerializeToUtf8Bytes(new Claim(_owner, now), Json);
        if (await _store.PutIfAbsentAsync(claimKey, claim, cancellationToken)) return true;

        var current = await _store.GetAsync(claimKey, cancellationToken);
        if (current is null) return false; // released just now: the next pass sees the response or the request
        var held = JsonSerializer.Deserialize<Claim>(current.Content, Json);
        if (held is not null && now - held.At < ClaimLease) return false;
        try
        {
            await _store.PutAsync(claimKey, claim, current.Version, cancellationToken);
            _logger.LogWarning("Took over mailbox claim {Key} from {Owner}, silent since {At:u}", claimKey, held?.Owner, held?.At);
            return true;
        }
        catch (StateConflictException)
        {
            return false;
        }
    }

    private async Task CleanUpAsync(string requestKey, string claimKey, CancellationToken cancellationToken)
    {
        await _store.DeleteAsync(requestKey, cancellationToken);
        await _store.DeleteAsync(claimKey, cancellationToken);
    }

    private sealed record Claim(string Owner, DateTimeOffset At);
}
