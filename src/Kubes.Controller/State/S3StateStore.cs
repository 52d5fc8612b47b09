using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kubes.Controller.State;

/// <summary>
/// The state store in the cluster's S3 bucket. Every put asks for server-side encryption (SSE-S3,
/// or SSE-KMS with a key id). Conditional writes use S3's own preconditions: If-None-Match: * for
/// put-if-absent, If-Match: &lt;etag&gt; for put-if-version, so two coordinators never both win.
/// </summary>
public sealed class S3StateStore : IStateStore
{
    private const int ConflictRetries = 5;

    private readonly IAmazonS3 _s3;
    private readonly S3StateLocation _location;
    private readonly string? _kmsKeyId;

    public S3StateStore(IAmazonS3 s3, S3StateLocation location, string? kmsKeyId = null)
    {
        _s3 = s3;
        _location = location;
        _kmsKeyId = kmsKeyId;
    }

    public string Location => _location.ToString();

    /// <summary>
    /// An S3 client the standard way: the SDK's credential chain and region, and an endpoint
    /// override from AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL (an emulator), which then gets
    /// path-style addressing because emulators do not serve bucket subdomains.
    /// </summary>
    public static AmazonS3Client CreateClient(string? region, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        region = NonEmpty(region) ?? NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION"));
        var endpoint = NonEmpty(environment("AWS_ENDPOINT_URL_S3")) ?? NonEmpty(environment("AWS_ENDPOINT_URL"));
        var config = new AmazonS3Config();
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is not null)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        return new AmazonS3Client(config);
    }

    public Task<StoredObject?> GetAsync(string key, CancellationToken cancellationToken = default) =>
        ReadAsync(key, maxBytes: null, cancellationToken);

    public Task<StoredObject?> GetAsync(string key, int maxBytes, CancellationToken cancellationToken = default) =>
        ReadAsync(key, maxBytes, cancellationToken);

    private async Task<StoredObject?> ReadAsync(string key, int? maxBytes, CancellationToken cancellationToken)
    {
        StateKey.Check(key);
        try
        {
            // Disposing the response before its body is read aborts the download.
            using var response = await _s3.GetObjectAsync(_location.Bucket, _location.KeyOf(key), cancellationToken);
            if (maxBytes is not { } max)
            {
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
                return new StoredObject(buffer.ToArray(), response.ETag);
            }
            if (response.ContentLength > max) throw new StateObjectTooLargeException(key, Location, response.ContentLength, max);
            var content = await BoundedRead.ReadAsync(response.ResponseStream, max, cancellationToken)
                ?? throw new StateObjectTooLargeException(key, Location, max + 1L, max);
            return new StoredObject(content, response.ETag);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonS3Exception e)
        {
            throw Explain("read", key, e);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable("read", key, e);
        }
    }

    public async Task<string> PutAsync(string key, ReadOnlyMemory<byte> content, string? expectedVersion = null,
        CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        var request = NewPut(key, content);
        if (expectedVersion is not null) request.IfMatch = expectedVersion;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await _s3.PutObjectAsync(request, cancellationToken);
                return response.ETag;
            }
            catch (AmazonS3Exception e) when (expectedVersion is not null && IsPreconditionFailure(e))
            {
                throw new StateConflictException(key, Location);
            }
            catch (AmazonS3Exception e) when (IsConcurrentConditionalWrite(e) && attempt < ConflictRetries)
            {
                request = NewPut(key, content);
                if (expectedVersion is not null) request.IfMatch = expectedVersion;
            }
            catch (AmazonS3Exception e)
            {
                throw Explain("write", key, e);
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                throw Unreachable("write", key, e);
            }
        }
    }

    public async Task<bool> PutIfAbsentAsync(string key, ReadOnlyMemory<byte> content,
        CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        for (var attempt = 1; ; attempt++)
        {
            var request = NewPut(key, content);
            request.IfNoneMatch = "*";
            try
            {
                await _s3.PutObjectAsync(request, cancellationToken);
                return true;
            }
            catch (AmazonS3Exception e) when (IsPreconditionFailure(e))
            {
                return false;
            }
            catch (AmazonS3Exception e) when (IsConcurrentConditionalWrite(e) && attempt < ConflictRetries)
            {
                // S3 asks the loser of two simultaneous conditional writes to retry; the retry sees the winner.
            }
            catch (AmazonS3Exception e)
            {
                throw Explain("write", key, e);
            }
            catch (Exception e) when (IsUnreachable(e))
            {
                throw Unreachable("write", key, e);
            }
        }
    }

    public async Task<IReadOnlyList<string>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        [.. (await ListEntriesAsync(prefix, cancellationToken)).Select(entry => entry.Key)];

    public async Task<IReadOnlyList<StoredEntry>> ListEntriesAsync(string prefix, CancellationToken cancellationToken = default)
    {
        StateKey.CheckPrefix(prefix);
        var keys = new List<StoredEntry>();
        var request = new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = _location.KeyOf(prefix) };
        try
        {
            ListObjectsV2Response response;
            do
            {
                response = await _s3.ListObjectsV2Async(request, cancellationToken);
                foreach (var item in response.S3Objects ?? [])
                {
                    var key = item.Key[_location.Prefix.Length..];
                    if (StateKey.IsValid(key))
                        keys.Add(new StoredEntry(key, item.ETag ?? "", item.LastModified is { } at ? new DateTimeOffset(at.ToUniversalTime()) : DateTimeOffset.MinValue));
                }
                request.ContinuationToken = response.NextContinuationToken;
            } while (response.IsTruncated == true);
        }
        catch (AmazonS3Exception e)
        {
            throw Explain("list", prefix, e);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable("list", prefix, e);
        }
        keys.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return keys;
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        StateKey.Check(key);
        try
        {
            await _s3.DeleteObjectAsync(_location.Bucket, _location.KeyOf(key), cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            // Already gone.
        }
        catch (AmazonS3Exception e)
        {
            throw Explain("delete", key, e);
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw Unreachable("delete", key, e);
        }
    }

    private PutObjectRequest NewPut(string key, ReadOnlyMemory<byte> content)
    {
        var request = new PutObjectRequest
        {
            BucketName = _location.Bucket,
            Key = _location.KeyOf(key),
            InputStream = new MemoryStream(content.ToArray(), writable: false),
            ContentType = "application/octet-stream",
            ServerSideEncryptionMethod = _kmsKeyId is null
                ? ServerSideEncryptionMethod.AES256
                : ServerSideEncryptionMethod.AWSKMS,
        };
        if (_kmsKeyId is not null) request.ServerSideEncryptionKeyManagementServiceKeyId = _kmsKeyId;
        return request;
    }

    private static bool IsPreconditionFailure(AmazonS3Exception e) => e.StatusCode == HttpStatusCode.PreconditionFailed;

    private static bool IsConcurrentConditionalWrite(AmazonS3Exception e) =>
        e.StatusCode == HttpStatusCode.Conflict && e.ErrorCode == "ConditionalRequestConflict";

    private StateStoreException Explain(string action, string key, AmazonS3Exception e)
    {
        var next = e.ErrorCode switch
        {
            "NoSuchBucket" => $"the bucket {_location.Bucket} does not exist: run 'kubes up' to create it, or fix the spec's stateStore",
            "AccessDenied" => "the credentials in use may not touch this bucket: check AWS_PROFILE and the IAM policy",
            _ => "check the bucket, the region and the credentials, then retry",
        };
        return new StateStoreException(
            $"Could not {action} '{key}' in the state store {Location}: {e.ErrorCode ?? e.StatusCode.ToString()} ({e.Message}); {next}.", e);
    }

    /// <summary>Failures before S3 answered: no credentials, no region, no route to the endpoint.</summary>
    private static bool IsUnreachable(Exception e) =>
        e is Amazon.Runtime.AmazonClientException or Amazon.Runtime.AmazonServiceException or HttpRequestException;

    private StateStoreException Unreachable(string action, string key, Exception e) => new(
        $"Could not {action} '{key}' in the state store {Location}: {e.Message}; check AWS_PROFILE/credentials, " +
        "AWS_REGION and AWS_ENDPOINT_URL, then retry.", e);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
