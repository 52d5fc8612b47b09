using Amazon.S3;
using Amazon.S3.Model;
using Kubes.Controller.State;

namespace Kubes.Controller.Artifacts;

/// <summary>Presigned GET URLs into the private state bucket: instances need no S3 permission to download.</summary>
public sealed class S3ArtifactUrls(IAmazonS3 s3, S3StateLocation location, TimeSpan lifetime) : IArtifactUrls
{
    public string UrlOf(MirroredArtifact artifact) => s3.GetPreSignedURL(new GetPreSignedUrlRequest
    {
        BucketName = location.Bucket,
        Key = location.KeyOf(artifact.Key),
        Verb = HttpVerb.GET,
        Expires = DateTime.UtcNow.Add(lifetime),
        // The SDK presigns https unless told: an S3-compatible endpoint over plain http (an emulator) needs http.
        Protocol = s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
    });
}
