using Amazon.S3;
using Amazon.S3.Model;
using Kubes.Controller.Aws.Resources;
using Kubes.Controller.Reconciler;

namespace Kubes.Controller.Aws.Handlers;

/// <summary>
/// The state bucket: private, versioned, encrypted. S3 cannot be filtered by tag, so it is found by its name,
/// which is a pure function of the spec and the account; its tag confirms the cluster owns it.
/// </summary>
internal sealed class StateBucketHandler(IAmazonS3 s3, string cluster, string bucketName) : IResourceHandler
{
    public string Type => "bucket";
    public int DeleteOrder => 90;

    public async Task<IReadOnlyList<ActualResource>> FindAsync(CancellationToken ct)
    {
        string? owner;
        try
        {
            var tagging = await s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = bucketName }, ct);
            owner = tagging.TagSet?.FirstOrDefault(t => t.Key == ClusterTags.Cluster)?.Value;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchBucket")
        {
            return [];
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchTagSet" or "NoSuchTagSetError")
        {
            // Ours (S3 answered its tagging to this account) and untagged: a run stopped between create and tag.
            owner = null;
        }
        if (owner is not null && owner != cluster)
            throw new InvalidOperationException(
                $"bucket {bucketName} belongs to cluster '{owner}', not '{cluster}'. Choose another spec.stateStore.");
        var state = await ReadStateAsync(owner is not null, ct);
        return [new ActualResource(AwsClusterModel.StateBucket, bucketName, state)];
    }

    public IReadOnlyList<FieldChange> Diff(DesiredResource desired, ActualResource actual, IResolvedIds ids)
    {
        var have = (BucketState)actual.Native;
        var changes = new List<FieldChange>();
        if (!have.Tagged) changes.Add(new(ClusterTags.Cluster, null, cluster));
        if (!have.Versioned) changes.Add(new("versioning", "Off", "Enabled"));
        if (!have.Encrypted) changes.Add(new("encryption", "none", "aws:kms"));
        if (!have.PublicAccessBlocked) changes.Add(new("publicAccess", "allowed", "blocked"));
        return changes;
    }

    public async Task<ActualResource> CreateAsync(DesiredResource desired, IResolvedIds ids, CancellationToken ct)
    {
        var want = (StateBucketResource)desired;
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = want.BucketName, UseClientRegion = true }, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "BucketAlreadyOwnedByYou")
        {
            // An earlier run created it and stopped before tagging: carry on and finish the job.
        }
        await TagAsync(want, ct);
        await ApplySecurityAsync(want.BucketName, ct);
        return new ActualResource(want.Key, want.BucketName, new BucketState(true, true, true, true));
    }

    public async Task UpdateAsync(DesiredResource desired, ActualResource actual, IReadOnlyList<FieldChange> changes, IResolvedIds ids,
        CancellationToken ct)
    {
        if (!((BucketState)actual.Native).Tagged) await TagAsync((StateBucketResource)desired, ct);
        await ApplySecurityAsync(actual.Id, ct);
    }

    private Task TagAsync(StateBucketResource want, CancellationToken ct) =>
        s3.PutBucketTaggingAsync(new PutBucketTaggingRequest
        {
            BucketName = want.BucketName,
            TagSet = [.. want.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
        }, ct);

    private async Task ApplySecurityAsync(string bucket, CancellationToken ct)
    {
        await s3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = true, BlockPublicPolicy = true, IgnorePublicAcls = true, RestrictPublicBuckets = true,
            },
        }, ct);
        await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        }, ct);
        await s3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules =
                [
                    new ServerSideEncryptionRule
                    {
                        ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault
                            { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS },
                        BucketKeyEnabled = true,
                    },
                ],
            },
        }, ct);
    }

    /// <summary>Destroy empties the bucket of every version first: S3 refuses to delete a bucket that holds any.</summary>
    public async Task DeleteAsync(ActualResource actual, CancellationToken ct)
    {
        string? keyMarker = null, versionMarker = null;
        while (true)
        {
            var listing = await s3.ListVersionsAsync(new ListVersionsRequest
                { BucketName = actual.Id, KeyMarker = keyMarker, VersionIdMarker = versionMarker }, ct);
            var versions = listing.Versions ?? [];
            if (versions.Count > 0)
                await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = actual.Id,
                    Objects = [.. versions.Select(v => new KeyVersion { Key = v.Key, VersionId = v.VersionId })],
                }, ct);
            if (listing.IsTruncated != true) break;
            keyMarker = listing.NextKeyMarker;
            versionMarker = listing.NextVersionIdMarker;
        }
        try
        {
            await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = actual.Id }, ct);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
        {
        }
    }

    private async Task<BucketState> ReadStateAsync(bool tagged, CancellationToken ct)
    {
        var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucketName }, ct);
        var encrypted = await TryAsync(async () =>
            (await s3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucketName }, ct))
            .ServerSideEncryptionConfiguration?.ServerSideEncryptionRules?.Count > 0);
        var blocked = await TryAsync(async () =>
        {
            var config = (await s3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucketName }, ct))
                .PublicAccessBlockConfiguration;
            return config is { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };
        });
        return new BucketState(versioning.VersioningConfig?.Status == VersionStatus.Enabled, encrypted, blocked, tagged);
    }

    private static async Task<bool> TryAsync(Func<Task<bool>> read)
    {
        try
        {
            return await read();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    internal sealed record BucketState(bool Versioned, bool Encrypted, bool PublicAccessBlocked, bool Tagged);
}
