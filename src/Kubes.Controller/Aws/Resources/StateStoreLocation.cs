using Kubes.Controller.Spec;

namespace Kubes.Controller.Aws.Resources;

/// <summary>Where the cluster's state lives in S3: <c>s3://bucket/prefix</c>.</summary>
public sealed record StateStoreLocation(string Bucket, string Prefix)
{
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix}";

    /// <summary>The default bucket: unique per account and cluster, so two operators never collide.</summary>
    public static StateStoreLocation Default(string accountId, string cluster) => new($"kubes-{accountId}-{cluster}", "");

    /// <summary>Where the cluster of <paramref name="spec"/> keeps its state in <paramref name="account"/>: the spec's
    /// <c>stateStore</c>, or the default bucket.</summary>
    public static StateStoreLocation For(ClusterSpec spec, string account) =>
        string.IsNullOrEmpty(spec.StateStore) ? Default(account, spec.Name) : Parse(spec.StateStore);

    public static StateStoreLocation Parse(string uri)
    {
        if (!uri.StartsWith("s3://", StringComparison.Ordinal))
            throw new FormatException($"'{uri}' is not an s3:// location");
        var rest = uri["s3://".Length..];
        var slash = rest.IndexOf('/');
        return slash < 0 ? new(rest, "") : new(rest[..slash], rest[(slash + 1)..].Trim('/'));
    }
}
